import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation

/// Kills pipeline runs with SIGKILL at random moments, and checks after each kill what users rely on.
///
/// Each kill starts the fixtures executable on a fresh stack of ``store``'s kind (a local stack, or
/// a schema of its own on the PostgreSQL test server, made beforehand, with an artifact folder of its
/// own), running one of ``pipelines`` in process, and kills it after a delay drawn from a seeded
/// generator, between 0 and the length of an uninterrupted run (so some kills land before the run is
/// recorded, most while it runs, a few after it ended). Then:
///
/// - the store opens, and passes ``StoreIntegrity`` (SQLite's check, and every recorded artifact
///   whole with its digest); on PostgreSQL, once the server has ended the killed process's sessions,
///   so that no statement it sent commits afterwards;
/// - every file in `artifacts/objects` is a whole artifact: an interrupted write stays invisible;
/// - a run left running is found by ``RunWatchdog/markAbandonedRuns(in:now:)`` and marked failed with
///   the reason, and no step run is left running;
/// - resuming it completes it, removes the staged files the kill left in `artifacts/tmp`, and every
///   step's outputs have the same digests as in an uninterrupted run.
///
/// `swift test` runs a few kills on each store; `scripts/kill-test` runs many with the same code.
struct KillHarness {
    /// How many kills.
    var kills: Int
    /// The seed of the kill moments: the same seed kills at the same moments.
    var seed: UInt64
    /// Where the stores go, one folder per kill, removed after it.
    var folder: URL
    /// Which metadata store the runs are recorded in.
    var store: StoreKind = .sqlite
    /// The pipelines killed in turn: many small steps, and large artifacts.
    var pipelines: [any PipelineDefinition] = [FixturePipelines.manySteps, FixturePipelines.largeArtifacts]

    /// A pipeline to kill, with what an uninterrupted run of it records.
    struct Subject {
        let pipeline: any PipelineDefinition
        /// The output digests of each step of an uninterrupted run, by invocation, then output name.
        let expectedOutputs: [String: [String: String]]
        /// How long an uninterrupted run of the executable takes, from its start to its exit.
        var duration: Duration
    }

    /// Where the kills landed, and what went wrong after them.
    struct Report: CustomStringConvertible {
        var kills = 0
        var beforeTheRunWasRecorded = 0
        var whileTheRunRan = 0
        var afterTheRunEnded = 0
        /// Kills that left an unfinished artifact write behind, in `artifacts/tmp`.
        var interruptedWrites = 0
        var resumed = 0
        /// How long an uninterrupted run of each pipeline took, by name, as calibrated.
        var uninterrupted: [String: Duration] = [:]
        var elapsed: Duration = .zero
        /// Each problem found, naming the kill, its pipeline and its delay.
        var failures: [String] = []

        var description: String {
            "\(kills) kills in \(elapsed.formatted(.units(allowed: [.seconds]))): \(beforeTheRunWasRecorded) before the run was recorded, "
                + "\(whileTheRunRan) while it ran (\(resumed) resumed to completion), \(afterTheRunEnded) after it ended; "
                + "\(interruptedWrites) left an interrupted artifact write in artifacts/tmp; \(failures.count) failures; uninterrupted runs: "
                + uninterrupted.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2))))" }
                    .joined(separator: ", ")
        }
    }

    /// A fresh stack for one run, and how to make the fixtures executable use it.
    struct Place {
        /// The stack's folder: the local store, or the stack file and the artifact folder.
        let folder: URL
        /// The stack.
        let configuration: StackConfiguration
        /// The options that make the fixtures executable's `run` use the stack.
        let arguments: [String]
        /// The environment the stack needs: where its file is, and the database's password.
        let environment: [String: String]

        /// The stack's artifact folder, `artifacts` in ``folder``.
        var artifacts: URL {
            folder.appending(path: "artifacts")
        }

        /// Opens the stack, creating its stores if the run did not get that far.
        func open() async throws -> Stack {
            try await Stack.open(configuration, environment: environment)
        }
    }

    /// Runs every kill and returns the report.
    func run() async throws -> Report {
        let start = ContinuousClock.now
        var subjects: [Subject] = []
        for pipeline in pipelines { subjects.append(try await calibrate(pipeline)) }
        var generator = SeededGenerator(seed: seed)
        var report = Report()
        report.uninterrupted = Dictionary(subjects.map { ($0.pipeline.name, $0.duration) }, uniquingKeysWith: { first, _ in first })
        for index in 0..<kills {
            let subject = subjects[index % subjects.count]
            let microseconds = Int64(subject.duration / .microseconds(1))
            let delay = Duration.microseconds(Int64.random(in: 0...microseconds, using: &generator))
            let place = try await makePlace("kill-\(index + 1)")
            defer { try? FileManager.default.removeItem(at: place.folder) }
            let endedBefore = report.afterTheRunEnded
            let problems = try await kill(subject, after: delay, in: place, report: &report)
            // A run that ended before its kill took at most `delay`, less than calibrated (the calibration
            // may have run while other tests loaded the machine): draw the next delays over less time.
            if report.afterTheRunEnded > endedBefore { subjects[index % subjects.count].duration = min(subject.duration * 3 / 4, delay) }
            let label = "kill \(index + 1) of \(kills) (seed \(seed)): \(subject.pipeline.name) after \(delay)"
            report.failures += problems.map { "\(label): \($0)" }
        }
        report.kills = kills
        report.elapsed = ContinuousClock.now - start
        return report
    }

    /// Runs `pipeline` to its end in the executable, twice, and keeps its outputs and the shorter
    /// time (a busy machine, such as at the start of the test suite, slows one run more than the other).
    private func calibrate(_ pipeline: any PipelineDefinition) async throws -> Subject {
        var outputs: [String: [String: String]] = [:]
        var duration = Duration.seconds(3600)
        for attempt in 1...2 {
            let place = try await makePlace("uninterrupted-\(pipeline.name)-\(attempt)")
            defer { try? FileManager.default.removeItem(at: place.folder) }
            let start = ContinuousClock.now
            let (status, output) = try await FixtureExecutable.run(["run", pipeline.name] + place.arguments, environment: place.environment)
            duration = min(duration, ContinuousClock.now - start)
            guard status == 0 else { throw TestFailure(description: "the uninterrupted run of \(pipeline.name) failed:\n\(output)") }
            let stack = try await place.open()
            let run = try await stack.metadata.runs(RunQuery())[0]
            outputs = try await Self.outputs(ofRun: run.id, in: stack.metadata)
        }
        return Subject(pipeline: pipeline, expectedOutputs: outputs, duration: duration)
    }

    /// A fresh stack of ``store``'s kind, named `name`.
    private func makePlace(_ name: String) async throws -> Place {
        let home = folder.appending(path: name)
        switch store {
        case .sqlite:
            return Place(folder: home, configuration: .local(home: home), arguments: ["--store", home.path], environment: [:])
        case .postgresql:
            let server = try await PostgreSQLTestServer.shared()
            let stack = server.stack(
                named: "killed", schema: "kill_\(UUID().uuidString.prefix(13).lowercased().replacing("-", with: ""))",
                artifacts: home.appending(path: "artifacts"), passwordVariable: "CAIRN_KILL_DB_PASSWORD")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            var file = StackFile(emptyAt: home.appending(path: StackFile.fileName).path)
            try file.register(stack)
            try file.write()
            let place = Place(
                folder: home, configuration: stack, arguments: ["--stack", stack.name],
                environment: [StackFile.environmentVariable: file.path, "CAIRN_KILL_DB_PASSWORD": server.password])
            // A team's schema exists long before its runs: made now, so that the kills land in runs
            // rather than in the schema's first migration.
            _ = try await place.open()
            return place
        }
    }

    /// Kills one run after `delay` and returns the problems found.
    private func kill(_ subject: Subject, after delay: Duration, in place: Place, report: inout Report) async throws -> [String] {
        let child = try BackgroundProcess(FixtureExecutable.path, ["run", subject.pipeline.name] + place.arguments, environment: place.environment)
        try await Task.sleep(for: delay)
        child.kill()
        _ = await child.exitStatus()
        if store == .postgresql {
            // The server runs what a client sent until it notices the client is gone, even a statement
            // that arrived just before the kill: end the killed process's sessions, and wait until they
            // have ended, so that nothing it sent commits after the checks below.
            try await PostgreSQLTestServer.shared().runSQL(
                "SELECT pg_terminate_backend(pid, 60000) FROM pg_stat_activity WHERE application_name LIKE 'cairn \(child.processIdentifier)@%'")
        }

        let stack = try await place.open()
        var problems = try await StoreIntegrity.problems(in: stack)
        problems += try await Self.unfinishedObjects(in: place.artifacts, stack: stack)
        if try !FileManager.default.contentsOfDirectory(atPath: place.artifacts.appending(path: "tmp").path).isEmpty {
            report.interruptedWrites += 1
        }
        let runs = try await stack.metadata.runs(RunQuery())
        guard let run = runs.first else {
            report.beforeTheRunWasRecorded += 1
            return problems
        }
        if runs.count > 1 { problems.append("\(runs.count) runs are recorded, not one") }
        switch run.status {
        case .running:
            report.whileTheRunRan += 1
            problems += try await checkAbandoned(run, of: child, in: stack)
            guard let failed = try await stack.metadata.run(id: run.id), failed.status == .failed else { return problems }
            let resumed = try await PipelineRunner(stack: stack).resume(failed, pipeline: subject.pipeline)
            guard resumed.succeeded else { return problems + ["the resumed run \(resumed.run.status.rawValue): \(resumed.run.error ?? "")"] }
            report.resumed += 1
            problems += try await StoreIntegrity.problems(in: stack).map { "after resuming: \($0)" }
            let left = try FileManager.default.contentsOfDirectory(atPath: place.artifacts.appending(path: "tmp").path)
            if !left.isEmpty { problems.append("after resuming, the killed run's staged files are still in artifacts/tmp: \(left)") }
        case .completed:
            report.afterTheRunEnded += 1
        default:
            return problems + ["the run is \(run.status.rawValue): \(run.error ?? "")"]
        }
        let outputs = try await Self.outputs(ofRun: run.id, in: stack.metadata)
        for invocation in Set(outputs.keys).union(subject.expectedOutputs.keys).sorted() where outputs[invocation] != subject.expectedOutputs[invocation] {
            problems.append("step \(invocation) has outputs \(outputs[invocation] ?? [:]), not \(subject.expectedOutputs[invocation] ?? [:])")
        }
        return problems
    }

    /// Marks abandoned runs and checks that `run`, and only it, was marked failed with the reason.
    private func checkAbandoned(_ run: RunRecord, of child: BackgroundProcess, in stack: Stack) async throws -> [String] {
        var problems: [String] = []
        let marked = try await RunWatchdog.markAbandonedRuns(in: stack.metadata)
        if marked.map(\.id) != [run.id] { problems.append("the watchdog marked \(marked.map(\.name)), not [\(run.name)]") }
        let failed = try await stack.metadata.run(id: run.id)
        if failed?.status != .failed { problems.append("the killed run is \(failed?.status.rawValue ?? "gone"), not failed") }
        let reason = "the process running it stopped (process \(child.processIdentifier) on "
        if failed?.error?.hasPrefix(reason) != true { problems.append("the killed run's error is \(failed?.error ?? "nil"), not \(reason)…") }
        for step in try await stack.metadata.stepRuns(runID: run.id) where !step.status.isFinished {
            problems.append("step run \(step.invocation) is still \(step.status.rawValue)")
        }
        return problems
    }

    /// The output digests of the successful step runs of a run, by invocation, then output name.
    static func outputs(ofRun id: String, in metadata: any MetadataStore) async throws -> [String: [String: String]] {
        var outputs: [String: [String: String]] = [:]
        for step in try await metadata.stepRuns(runID: id) where step.status.isSuccessful {
            let links = try await metadata.outputs(ofStepRun: step.id)
            outputs[step.invocation] = Dictionary(links.map { ($0.name, $0.artifact.digest) }, uniquingKeysWith: { first, _ in first })
        }
        return outputs
    }

    /// Problems with the files in `artifacts/objects`, recorded or not: each must be named by the
    /// digest of its whole content.
    static func unfinishedObjects(in artifacts: URL, stack: Stack) async throws -> [String] {
        let objects = artifacts.appending(path: "objects")
        var problems: [String] = []
        for prefix in try FileManager.default.contentsOfDirectory(atPath: objects.path) {
            for name in try FileManager.default.contentsOfDirectory(atPath: objects.appending(path: prefix).path) {
                do {
                    try await stack.artifacts.load(name) { reader in _ = try reader.readToEnd() }
                } catch {
                    problems.append("objects/\(prefix)/\(name) is not a whole artifact: \(error)")
                }
            }
        }
        return problems
    }
}
