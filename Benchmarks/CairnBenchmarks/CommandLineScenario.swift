import Cairn
import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// The `cli` scenario: a store with 100,000 runs and 1,000,000 step runs, and the time the release
/// `cairn` executable takes, as a whole process, to list and show runs on it.
///
/// Run it with `swift build -c release --product cairn --product cairn-benchmarks` and then
/// `.build/release/cairn-benchmarks cli`. Set `CAIRN_BENCH_CLI_STORE=/some/folder` to keep the
/// generated store there and reuse it next time; otherwise it goes to a temporary folder and is
/// deleted at the end. `CAIRN_BENCH_CLI_RUNS=2000` makes a smaller store, for a quick try.
enum CommandLineScenario {
    /// 100,000, or `CAIRN_BENCH_CLI_RUNS` for a quick try (20 when the scenarios run tiny).
    static let runCount = ProcessInfo.processInfo.environment["CAIRN_BENCH_CLI_RUNS"].flatMap(Int.init)
        ?? BenchmarkSize.scaled(100_000, tiny: 20)
    static let stepsPerRun = 10
    static let pipelineCount = 10
    /// Every 50th run fails at its eighth step; the last two are then skipped.
    static let failureInterval = 50

    static func run() async throws -> [Figure] {
        let kept = ProcessInfo.processInfo.environment["CAIRN_BENCH_CLI_STORE"].map { URL(filePath: $0) }
        let home = kept ?? FileManager.default.temporaryDirectory.appending(path: "cairn-bench-cli-\(UUID().uuidString)")
        defer { if kept == nil { try? FileManager.default.removeItem(at: home) } }
        let path = home.appending(path: "metadata.sqlite").path

        var figures: [Figure] = []
        if try existingRunCount(path) != runCount {
            let seconds = try measure { try generate(at: home) }
            figures.append(Figure(
                name: "cli: generate 100,000 runs, 1,000,000 step runs (bulk SQL)", value: seconds, unit: "s",
                note: "plus artifact versions and links"))
        }
        figures.append(Figure(
            name: "cli: metadata file size", value: Double(fileSize(path)) / 1_048_576, unit: "MiB"))

        let timing = try CommandTiming()
        let queue = try DatabaseQueue(path: path)
        let (newest, middle, listPlan) = try await queue.read { db in
            (
                try String.fetchOne(db, sql: "SELECT name FROM run ORDER BY startedAt DESC, rowid DESC LIMIT 1") ?? "",
                try String.fetchOne(db, sql: "SELECT name FROM run ORDER BY startedAt LIMIT 1 OFFSET ?", arguments: [runCount / 2]) ?? "",
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT * FROM run ORDER BY startedAt DESC, rowid DESC LIMIT 21 OFFSET 0")
                    .map { $0["detail"] as String }.joined(separator: "; ")
            )
        }
        try queue.close()

        // In process: opening the store, then the queries of `runs list` and `runs show`, each the
        // median of 20 fresh opens, to tell the store's share from the process's.
        var opens: [Double] = []
        var lists: [Double] = []
        var shows: [Double] = []
        for _ in 0..<BenchmarkSize.repetitions(20) {
            var metadata: SQLiteMetadataStore?
            opens.append(try measure { metadata = try SQLiteMetadataStore(path: path) })
            lists.append(try await measureAsync { _ = try await metadata!.runSummaries(RunQuery(limit: 21)) })
            shows.append(try await measureAsync {
                let run = try await metadata!.run(named: middle)!
                _ = try await metadata!.stepRuns(runID: run.id)
                _ = try await metadata!.stepRunOutputs(runID: run.id)
                _ = try await metadata!.artifactVersions(ids: Array(run.outputs.values))
            })
        }
        for (name, times) in [("open the store", opens), ("runSummaries, 21 runs", lists), ("a run, its step runs and their outputs", shows)] {
            figures.append(Figure(name: "in process: \(name): median of 20", value: median(of: times.dropFirst()) * 1000, unit: "ms"))
        }

        figures += try timing.figures(CommandTiming.inspection(
            newest: newest, middle: middle, options: ["--store", home.path], listPlan: listPlan,
            worstCase: "worst case: no run matches, the pipeline's 10,000 runs are read"))
        return figures
    }

    /// The number of runs in the store at `path`, or `nil` when there is none.
    static func existingRunCount(_ path: String) throws -> Int? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run") }
    }

    // MARK: - Generating

    /// Makes a fresh store in `home` with the real schema, then fills it with plain SQL inserts in
    /// large transactions, secondary indexes dropped during the load and rebuilt after it.
    static func generate(at home: URL) throws {
        try? FileManager.default.removeItem(at: home)
        _ = try Stack.local(at: home)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = OFF; PRAGMA cache_size = -500000; PRAGMA temp_store = MEMORY")
        }
        let queue = try DatabaseQueue(path: home.appending(path: "metadata.sqlite").path, configuration: configuration)
        let indexes = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
                .map { (name: $0["name"] as String, sql: $0["sql"] as String) }
        }
        try queue.write { db in
            for index in indexes { try db.execute(sql: "DROP INDEX \(index.name)") }
        }

        let pipelines = (0..<pipelineCount).map { "pipeline_\($0)" }
        let nodes = try chainGraph().nodes.map(\.canonicalJSON)
        let configurations = try pipelines.map(configuration(of:))
        let origin = Date(timeIntervalSince1970: 1_700_000_000)
        var digestCounter = 0
        let batch = 5_000
        for first in stride(from: 0, to: runCount, by: batch) {
            try queue.write { db in
                if first == 0 {
                    for pipeline in pipelines {
                        try db.execute(sql: "INSERT INTO pipeline (name, createdAt) VALUES (?, ?)", arguments: [pipeline, timestamp(origin)])
                    }
                }
                let configurationIDs = try configurations.map { try SQLiteMetadataStore.storeConfiguration($0, in: db) }
                let insertRun = try db.makeStatement(sql: """
                    INSERT INTO run (id, name, pipelineName, status, startedAt, endedAt, configurationID, error, outputs, host, processID)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench-host', 4242)
                    """)
                // Identifiers, and the graph's nodes, as the store keeps them, whatever its schema does with them;
                // the links refer to step runs by number.
                let insertNode = try SQLiteMetadataStore.makeNodeInsert(db)
                let insertStep = try db.makeStatement(sql: """
                    INSERT INTO stepRun (id, runID, invocation, stepName, status, startedAt, endedAt, parameters, fingerprint, error, cachedFrom, attempt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 1)
                    """)
                let insertVersion = try db.makeStatement(sql: """
                    INSERT INTO artifactVersion (id, name, version, digest, typeName, serializer, serializerVersion, size, createdAt, producerStepRunID, outputName)
                    VALUES (?, ?, ?, ?, 'Swift.Array<Swift.Double>', 'cairn.npy', 1, 4096, ?, ?, 'output')
                    """)
                let insertOutput = try db.makeStatement(
                    sql: "INSERT INTO stepRunOutput (stepRunNumber, name, artifactVersionID) VALUES (?, 'output', ?)")
                let insertInput = try db.makeStatement(
                    sql: "INSERT INTO stepRunInput (stepRunNumber, name, position, artifactVersionID) VALUES (?, 'data', 0, ?)")
                let insertParent = try db.makeStatement(sql: "INSERT INTO stepRunParent (stepRunNumber, parentNumber, position) VALUES (?, ?, 0)")

                for index in first..<min(first + batch, runCount) {
                    let pipelineIndex = index % pipelineCount
                    let pipeline = pipelines[pipelineIndex]
                    let version = index / pipelineCount + 1
                    let runID = UUID().uuidString.lowercased()
                    let started = origin.addingTimeInterval(Double(index) * 60)
                    let fails = index % failureInterval == failureInterval - 1
                    var previousStep: Int64?
                    var previousVersion: String?
                    var lastVersion: String?
                    for step in 0..<stepsPerRun {
                        let stepID = UUID().uuidString.lowercased()
                        let invocation = "step_\(step)"
                        let stepStart = started.addingTimeInterval(Double(step) * 5)
                        let status: ExecutionStatus = !fails || step < 7 ? .completed : step == 7 ? .failed : .skipped
                        let error: String? = switch status {
                        case .failed: "step 'step_7' failed: the loss diverged at epoch 3"
                        case .skipped: "step 'step_\(step - 1)' did not complete"
                        default: nil
                        }
                        let ended = status == .skipped ? stepStart : stepStart.addingTimeInterval(4.25)
                        try insertStep.execute(arguments: [
                            StoredIdentifier.value(stepID), StoredIdentifier.value(runID), invocation, invocation, status.rawValue,
                            timestamp(stepStart), timestamp(ended), step == 0 ? #"{"seed":"42"}"# : "{}", "fingerprint-\(step)", error,
                        ])
                        let stepNumber = db.lastInsertedRowID
                        if let previousStep {
                            try insertParent.execute(arguments: [stepNumber, previousStep])
                        }
                        if status == .completed {
                            if let previousVersion {
                                try insertInput.execute(arguments: [stepNumber, StoredIdentifier.value(previousVersion)])
                            }
                            let versionID = UUID().uuidString.lowercased()
                            digestCounter += 1
                            try insertVersion.execute(arguments: [
                                StoredIdentifier.value(versionID), "\(pipeline)::\(invocation)::output", version,
                                String(format: "%064x", digestCounter), timestamp(ended), StoredIdentifier.value(stepID),
                            ])
                            try insertOutput.execute(arguments: [stepNumber, StoredIdentifier.value(versionID)])
                            previousVersion = versionID
                            lastVersion = versionID
                        }
                        previousStep = stepNumber
                    }
                    let outputs = fails ? "{}" : #"{"result":"\#(lastVersion ?? "")"}"#
                    try insertRun.execute(arguments: [
                        StoredIdentifier.value(runID), "\(pipeline)-\(runNameTime(started))", pipeline, fails ? "failed" : "completed",
                        timestamp(started), timestamp(started.addingTimeInterval(Double(stepsPerRun) * 5)), configurationIDs[pipelineIndex],
                        fails ? "step 'step_7' failed: the loss diverged at epoch 3" : nil, outputs,
                    ])
                    for (position, node) in nodes.enumerated() {
                        try SQLiteMetadataStore.linkNode(node, ofRun: StoredIdentifier.value(runID), at: position, inserting: insertNode, in: db)
                    }
                }
            }
        }
        try queue.write { db in
            for index in indexes { try db.execute(sql: index.sql) }
        }
        try queue.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        try queue.close()
    }

    /// The configuration every run of `pipeline` records, as canonical JSON.
    static func configuration(of pipeline: String) throws -> String {
        try CanonicalJSON.string(encoding: RunConfiguration(
            pipeline: pipeline, parameters: .object(["seed": .number(42), "rate": .number(0.1)]), options: PipelineOptions()))
    }

    /// A chain `step_0 → step_1 → … → step_9`, each reading the previous step's output.
    static func chainGraph() throws -> PipelineGraph {
        let nodes = (0..<stepsPerRun).map { step -> String in
            let inputs = step == 0
                ? #"[{"binding":{"constant":{"json":"42"}},"name":"seed"}]"#
                : #"[{"binding":{"output":{"invocation":"step_\#(step - 1)","output":"output"}},"name":"data"}]"#
            return #"{"after":[],"fingerprint":"fingerprint-\#(step)","inputs":\#(inputs),"invocation":"step_\#(step)","step":"step_\#(step)"}"#
        }
        return try CanonicalJSON.decode(PipelineGraph.self, from: #"{"nodes":[\#(nodes.joined(separator: ","))]}"#)
    }

    /// A date as GRDB stores it: UTC text `YYYY-MM-DD HH:MM:SS.SSS`.
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let milliseconds = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d.%03d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), milliseconds)
    }

    /// `2023_11_14-22_13_20`, in UTC: run-name dates in the default template's form.
    static func runNameTime(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d_%02d_%02d-%02d_%02d_%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// The size of a file; 0 when there is none.
    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
