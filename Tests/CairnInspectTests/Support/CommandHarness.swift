import CairnCore
import CairnFixturePipelines
import CairnInspect
import Foundation

/// What a command printed, and how it ended.
struct CommandOutput {
    var status: Int32
    var output: String
    var error: String
}

/// Collects what commands write to a console.
final class ConsoleRecorder: Sendable {
    private let text = Locked<(output: String, error: String)>(("", ""))

    /// A plain console, 100 columns wide, showing UTC dates, that records here and answers `answer` to questions.
    func console(answer: String? = nil, interactive: Bool = false) -> Console {
        Console(
            usesColor: false, showsUTC: true, columns: 100, isInteractive: interactive,
            writeOutput: { line in self.text.withLock { $0.output += line } },
            writeError: { line in self.text.withLock { $0.error += line } },
            readLine: { answer })
    }

    var output: String { text.withLock { $0.output } }
    var error: String { text.withLock { $0.error } }
}

/// Runs `cairn ARGUMENTS` in this process.
func cairn(_ arguments: String..., answer: String? = nil, interactive: Bool = false) async -> CommandOutput {
    await cairn(arguments, answer: answer, interactive: interactive)
}

/// Runs `cairn ARGUMENTS` in this process.
func cairn(_ arguments: [String], answer: String? = nil, interactive: Bool = false) async -> CommandOutput {
    let recorder = ConsoleRecorder()
    let status = await CairnCommand.run(arguments, console: recorder.console(answer: answer, interactive: interactive))
    return CommandOutput(status: status, output: recorder.output, error: recorder.error)
}

/// The `cairn` executable, built beside the test runner, run as a separate process.
enum CairnExecutable {
    static var path: String {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(filePath: runner).deletingLastPathComponent().appending(path: "cairn").path
    }

    /// Runs `cairn` with `arguments` in `folder`, with `environment` added to this process's, minus
    /// `CAIRN_HOME`; the wait is on a thread of its own (see ``OwnThread``).
    static func run(_ arguments: [String], in folder: URL? = nil, environment: [String: String] = [:]) async throws -> CommandOutput {
        let path = self.path
        return try await OwnThread.run {
            let process = Process()
            process.executableURL = URL(filePath: path)
            process.arguments = arguments
            var merged = ProcessInfo.processInfo.environment
            merged["CAIRN_HOME"] = nil
            merged.merge(environment) { $1 }
            process.environment = merged
            if let folder { process.currentDirectoryURL = folder }
            let output = Pipe()
            let error = Pipe()
            process.standardOutput = output
            process.standardError = error
            try process.run()
            let printed = String(decoding: output.fileHandleForReading.readAllBytes(), as: UTF8.self)
            let complained = String(decoding: error.fileHandleForReading.readAllBytes(), as: UTF8.self)
            process.waitUntilExit()
            return CommandOutput(status: process.terminationStatus, output: printed, error: complained)
        }
    }
}
