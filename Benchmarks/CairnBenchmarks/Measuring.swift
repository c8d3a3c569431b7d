import Cairn
import CairnCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Seconds taken by `body`.
func measure(_ body: () throws -> Void) throws -> Double {
    let start = ContinuousClock.now
    try body()
    return (ContinuousClock.now - start).seconds
}

/// Seconds taken by an asynchronous `body`.
func measureAsync(_ body: () async throws -> Void) async throws -> Double {
    let start = ContinuousClock.now
    try await body()
    return (ContinuousClock.now - start).seconds
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

/// The process's peak resident memory, from the kernel.
func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return 0 }
    return kilobytes / 1024
}

/// A file copy in 1 MiB chunks, flushed with fsync like an artifact write: the baseline.
enum PlainCopy {
    static func copy(_ source: String, to destination: String) throws {
        let input = open(source, O_RDONLY)
        let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(input); close(output) }
        guard input >= 0, output >= 0 else { throw CairnError.store("cannot open files for the copy") }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            _ = buffer.withUnsafeBytes { write(output, $0.baseAddress, count) }
        }
        fsync(output)
    }
}

/// Runs a child process to its end.
enum ChildProcess {
    /// Runs `executable` with `arguments`, and `environment` added to this process's; returns what it printed.
    @discardableResult
    static func run(_ executable: String, arguments: [String], environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(filePath: executable)
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readAllBytes(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CairnError.store("\(executable) failed: \(output)") }
        return output
    }
}

/// The middle value of `times`, or the upper of the two middle ones.
func median(of times: some Collection<Double>) -> Double {
    let sorted = times.sorted()
    return sorted[sorted.count / 2]
}
