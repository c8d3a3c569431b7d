import CairnCore
import Foundation
import Subprocess
import SystemPackage

/// Runs every step in its own process, through the pipeline executable's `step run` command.
///
/// This is the out-of-process contract that cluster orchestrators build on: the child process
/// opens the same stack, rebuilds the graph, runs one step and records it. The step's environment
/// variables (its options' and its pipeline's) and its secrets' values are the child's real process
/// environment, never its command line; the master keys of secrets are not passed on. The child's standard
/// output and error are captured; when the child dies without recording an outcome, the step run
/// is marked failed with the exit status and the end of what it printed.
public struct SubprocessOrchestrator: Orchestrator {
    /// The pipeline executable to start; by default, the running executable.
    public var executable: String

    /// Makes the orchestrator.
    public init(executable: String = SubprocessOrchestrator.currentExecutable) {
        self.executable = executable
    }

    /// The path of the running executable.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// `subprocess`.
    public var name: String { "subprocess" }

    /// Runs the step in a child process through the executable's `step run` command.
    public func runStep(_ launch: StepLaunch) async -> StepResult {
        let node = launch.pipeline.graph.node(launch.invocation).map { ["--node", $0.digest] } ?? []
        guard let stack = launch.stack.configuration, let description = try? CanonicalJSON.string(encoding: stack) else {
            let reason = "this stack was made of components in code, and another process cannot open it: make it with Stack.local or Stack.open"
            return await outcome(of: launch, processStatus: "could not start a step process: \(reason)", printed: Data())
        }
        let arguments = ["step", "run", "--run", launch.run.id, "--step", launch.invocation] + node
            + ["--parent", "\(ProcessInfo.processInfo.processIdentifier)", "--stack-description", description]
        let options = launch.pipeline.definitions[launch.invocation]?.options.resolved(in: launch.pipeline.options)
        var environment: [Environment.Key: String?] = [
            Environment.Key(stringLiteral: SecretKeySource.keyVariable): nil, Environment.Key(stringLiteral: SecretKeySource.keyFileVariable): nil,
        ]
        do {
            let secrets = try await launch.stack.runSecrets.processEnvironment(for: options?.secrets ?? [], step: launch.invocation, stack: launch.stack)
            for (name, value) in (options?.environment ?? [:]).merging(secrets, uniquingKeysWith: { _, secret in secret }) {
                environment[Environment.Key(stringLiteral: name)] = value
            }
        } catch {
            return await outcome(of: launch, processStatus: "could not start a step process: \(error)", printed: Data())
        }
        let status: String
        var printed = Data()
        do {
            let (writer, reader) = try Self.makeLog()
            defer { try? reader.close() }
            let errorDescriptor = FileDescriptor(rawValue: dup(writer.rawValue))
            do {
                let execution = try await Subprocess.run(
                    .path(FilePath(executable)), arguments: Arguments(arguments),
                    environment: .inherit.updating(environment),
                    output: .fileDescriptor(writer, closeAfterSpawningProcess: true),
                    error: .fileDescriptor(errorDescriptor, closeAfterSpawningProcess: true))
                status = "\(execution.terminationStatus)"
            } catch {
                status = "could not start \(executable): \(error)"
            }
            printed = launch.stack.runSecrets.redaction.redact(FileHandle(fileDescriptor: reader.rawValue, closeOnDealloc: false).readAllBytes())
        } catch {
            status = "could not make a log file for the step process: \(error)"
        }
        return await outcome(of: launch, processStatus: status, printed: printed)
    }

    /// A file for the child's standard output and error: a descriptor to write it, for the child, and
    /// one to read it from the start, for this process.
    ///
    /// Its name is removed at once: the file lives while a descriptor is open, so nothing is left in
    /// the temporary folder when this process is killed.
    private static func makeLog() throws -> (writer: FileDescriptor, reader: FileDescriptor) {
        let path = FilePath(FileManager.default.temporaryDirectory.appending(path: "cairn-step-\(UUID().uuidString).log").path)
        let writer = try FileDescriptor.open(path, .writeOnly, options: [.create, .exclusiveCreate], permissions: [.ownerReadWrite])
        defer { unlink(path.string) }
        do {
            return (writer, try FileDescriptor.open(path, .readOnly))
        } catch {
            try? writer.close()
            throw error
        }
    }

    /// Adds the child's standard output and error to the step run's log.
    private func attach(processOutput: Data, to step: StepRunRecord, stack: Stack) async throws {
        var combined = Data()
        if let digest = step.logDigest {
            combined = try await stack.artifacts.load(digest) { try $0.readToEnd() }
        }
        combined.append(Data("--- standard output and error of the step process ---\n".utf8))
        combined.append(processOutput)
        let blob = try await stack.artifacts.store { try $0.write(combined) }
        try await stack.metadata.attachLog(stepRunID: step.id, digest: blob.digest)
    }

    /// Reads what the child recorded, and records a failure for it when it recorded none.
    private func outcome(of launch: StepLaunch, processStatus: String, printed output: Data) async -> StepResult {
        let metadata = launch.stack.metadata
        do {
            var recorded = try await metadata.stepRuns(runID: launch.run.id).last { $0.invocation == launch.invocation }
            if let step = recorded, !output.isEmpty {
                try await attach(processOutput: output, to: step, stack: launch.stack)
                recorded = try await metadata.stepRun(id: step.id)
            }
            if let recorded, recorded.status.isFinished {
                return try await StepProcess.result(of: recorded, metadata: metadata)
            }
            let printed = String(decoding: output, as: UTF8.self)
            let message = "the step process ended (\(processStatus)) without recording an outcome"
                + (printed.isEmpty ? "" : "; it printed:\n" + printed.split(separator: "\n").suffix(20).joined(separator: "\n"))
            if let recorded {
                try await metadata.finishStepRun(id: recorded.id, outcome: .failed(error: message), at: Date())
                return StepResult(invocation: launch.invocation, record: try await metadata.stepRun(id: recorded.id), error: message)
            }
            let node = launch.pipeline.graph.node(launch.invocation)
            let record = try await metadata.createStepRun(NewStepRun(
                runID: launch.run.id, invocation: launch.invocation, stepName: node?.step ?? launch.invocation, status: .failed,
                startedAt: Date(), parameters: node?.parameters ?? [:], fingerprint: node?.fingerprint ?? "", error: message))
            return StepResult(invocation: launch.invocation, record: record, error: message)
        } catch {
            return StepResult(invocation: launch.invocation, record: nil, error: "could not read the outcome of step '\(launch.invocation)': \(error)")
        }
    }
}
