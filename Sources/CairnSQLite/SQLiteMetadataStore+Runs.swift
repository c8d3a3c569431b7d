public import CairnCore
public import Foundation
package import GRDB

extension SQLiteMetadataStore {
    // MARK: - Runs

    /// Records a new run with status `running`, registering its pipeline on its first run.
    ///
    /// The pipeline row, the choice of a free name and the run row are one immediate transaction:
    /// two processes asking for the same name at once get `name` and `name_2`, or, for a name that
    /// must not be numbered, one of them gets `CairnError.runNameTaken(name:)`.
    public func createRun(_ run: NewRun) async throws -> RunRecord {
        let id = Self.makeID()
        let name = try await write { db in
            try PipelineRow(name: run.pipelineName, createdAt: run.startedAt).insert(db, onConflict: .ignore)
            let name = try Self.freeRunName(run.name, numbered: run.isNumbered, in: db)
            let configurationID = try Self.storeConfiguration(run.configuration, in: db)
            try RunRow(id: id, name: name, configurationID: configurationID, run: run).insert(db)
            try Self.recordNodes(of: run.graph, ofRun: id, in: db)
            return name
        }
        return RunRecord(
            id: id, name: name, pipelineName: run.pipelineName, status: .running, startedAt: run.startedAt,
            configuration: run.configuration, graph: run.graph, host: run.host, processID: run.processID, processStart: run.processStart,
            heartbeatAt: run.startedAt)
    }

    /// Records the end of a run.
    ///
    /// A step run whose end could not be recorded (its write met a full disk) is failed with the
    /// run, in the same transaction: a finished run has no running steps. On a full disk the write
    /// is tried again once, with room made (the store holds space back for it): the end of a run is the
    /// record most worth keeping.
    ///
    /// - Throws: `CairnError.runTakenOver(run:owner:)` when another process runs it now, and
    ///   `CairnError.notFound(kind:name:suggestion:)` when no run has this identifier.
    public func finishRun(
        id: String, status: ExecutionStatus, error: String?, outputs: [String: String], at date: Date, owner: RunOwner
    ) async throws {
        let outputs = try CanonicalJSON.text(encoding: outputs)
        try await writeMakingRoom { db in
            try db.execute(
                literal: """
                    UPDATE run SET status = \(status.rawValue), error = \(error), outputs = \(outputs), endedAt = \(date)
                    WHERE id = \(StoredIdentifier.value(id)) AND host = \(owner.host) AND processID = \(owner.processID)
                    """)
            if db.changesCount == 0 {
                guard let run = try Row.fetchOne(db, sql: "SELECT name, host, processID FROM run WHERE id = ?", arguments: [StoredIdentifier.value(id)]) else {
                    throw CairnError.notFound(kind: "run", name: id, suggestion: nil)
                }
                throw CairnError.runTakenOver(run: run["name"], owner: RunOwner(host: run["host"], processID: run["processID"]).description)
            }
            try Self.failUnfinishedSteps(ofRun: id, reason: "the run ended before this step's end could be recorded", at: date, in: db)
        }
    }

    /// Marks the step runs of a run that are still running, starting or retrying as failed.
    private static func failUnfinishedSteps(ofRun id: String, reason: String, at date: Date, in db: Database) throws {
        let unfinished = [ExecutionStatus.running, .initializing, .retrying].map(\.rawValue)
        try db.execute(
            literal: """
                UPDATE stepRun SET status = \(ExecutionStatus.failed.rawValue), error = \(reason), endedAt = \(date)
                WHERE runID = \(StoredIdentifier.value(id)) AND status IN \(unfinished)
                """)
    }

    /// Records the graph of a run.
    public func recordGraph(_ graph: PipelineGraph, ofRun id: String) async throws {
        try await write { db in
            try Self.recordNodes(of: graph, ofRun: id, in: db)
        }
    }

    /// Records that the process running a run is alive.
    public func heartbeat(runID: String, at date: Date) async throws {
        try await write { db in
            try db.execute(literal: "UPDATE run SET heartbeatAt = \(date) WHERE id = \(StoredIdentifier.value(runID))")
        }
    }

    /// Marks a run whose process is gone as failed, with its unfinished step runs, in one transaction.
    public func abandonRun(id: String, reason: String, at date: Date) async throws {
        let running = ExecutionStatus.running.rawValue
        let failed = ExecutionStatus.failed.rawValue
        try await writeMakingRoom { db in
            try db.execute(
                literal: """
                    UPDATE run SET status = \(failed), error = \(reason), endedAt = \(date)
                    WHERE id = \(StoredIdentifier.value(id)) AND status = \(running)
                    """)
            guard db.changesCount > 0 else { return }
            try Self.failUnfinishedSteps(ofRun: id, reason: reason, at: date, in: db)
        }
    }

    /// Claims a failed or stopped run for this process, as running again with the graph it now
    /// executes, to resume it.
    ///
    /// The claim is one conditional update: of two processes that resume the same run at once, one
    /// claims it and the other is refused, as is a resume of a run that is running.
    public func resumeRun(id: String, graph: PipelineGraph, at date: Date) async throws {
        let resumable = [ExecutionStatus.failed.rawValue, ExecutionStatus.stopped.rawValue]
        try await write { db in
            try db.execute(
                literal: """
                    UPDATE run SET status = \(ExecutionStatus.running.rawValue), error = NULL, endedAt = NULL, heartbeatAt = \(date),
                        host = \(ProcessInfo.processInfo.hostName), processID = \(ProcessInfo.processInfo.processIdentifier),
                        processStart = \(ProcessLiveness.currentStart)
                    WHERE id = \(StoredIdentifier.value(id)) AND status IN \(resumable)
                    """)
            if db.changesCount == 0 {
                guard
                    let run = try DecodedRow<RunRecord>.fetchOne(
                        db, sql: Self.runSelection + " WHERE id = ?", arguments: [StoredIdentifier.value(id)])?.value
                else {
                    throw CairnError.notFound(kind: "run", name: id, suggestion: nil)
                }
                throw CairnError.runNotResumable(run: run.name, reason: run.whyNotResumable)
            }
            try Self.recordNodes(of: graph, ofRun: id, in: db)
        }
    }

    /// The run with this identifier.
    public func run(id: String) async throws -> RunRecord? {
        try await read { db in
            try DecodedRow<RunRecord>.fetchOne(db, sql: Self.runSelection + " WHERE id = ?", arguments: [StoredIdentifier.value(id)])?.value
        }
    }

    /// The run with this name.
    public func run(named name: String) async throws -> RunRecord? {
        try await read { db in
            try DecodedRow<RunRecord>.fetchOne(db, sql: Self.runSelection + " WHERE name = ?", arguments: [name])?.value
        }
    }

    /// Runs matching `query`, newest first; runs that started at the same time, the last created first.
    public func runs(_ query: RunQuery) async throws -> [RunRecord] {
        let conditions = Self.conditions(for: query)
        var sql = SQL(sql: Self.runSelection)
        if !conditions.isEmpty {
            sql += " WHERE " + conditions.joined(separator: " AND ")
        }
        sql += " ORDER BY startedAt DESC, rowid DESC LIMIT \(query.limit) OFFSET \(query.offset)"
        let request = SQLRequest<Row>(literal: sql)
        return try await read { db in
            try DecodedRow<RunRecord>.fetchAll(db, request).map(\.value)
        }
    }

    /// Every pipeline that has runs, by name, with its number of runs.
    public func pipelines() async throws -> [PipelineRecord] {
        try await read { db in
            try DecodedRow<PipelineRecord>.fetchAll(
                db,
                sql: """
                    SELECT pipeline.name, pipeline.createdAt, COUNT(*) AS runCount
                    FROM pipeline JOIN run ON run.pipelineName = pipeline.name
                    GROUP BY pipeline.name
                    ORDER BY pipeline.name
                    """
            ).map(\.value)
        }
    }

    // MARK: - Helpers

    /// The columns of a ``RunRecord``: the run's row, its configuration, and its graph put together
    /// from its nodes in call order (the primary key's order, which the subquery reads them in).
    /// `package` for the tests of its query plans.
    package static let runSelection = """
        SELECT run.*,
            (SELECT text FROM runConfiguration WHERE runConfiguration.id = run.configurationID) AS configuration,
            '{"nodes":[' || COALESCE(
                (SELECT group_concat(node, ',') FROM (
                    SELECT graphNode.node FROM runNode JOIN graphNode ON graphNode.id = runNode.nodeID
                    WHERE runNode.runID = run.id ORDER BY runNode.position)), ''
            ) || ']}' AS graph
        FROM run
        """

    /// Records the nodes of a run's graph in call order, in place of any recorded before: a row
    /// each, so that no text of the whole graph is made.
    static func recordNodes(of graph: PipelineGraph, ofRun id: String, in db: Database) throws {
        let runID = StoredIdentifier.value(id)
        try db.execute(literal: "DELETE FROM runNode WHERE runID = \(runID)")
        let insert = try makeNodeInsert(db)
        for (position, node) in graph.nodes.enumerated() {
            try linkNode(node.canonicalJSON, ofRun: runID, at: position, inserting: insert, in: db)
        }
    }

    /// The statement that stores a graph node's text, made for each graph rather than cached by the
    /// connection: a cached statement would keep its last arguments, and the last node of a dynamic
    /// run is often a fan-in, whose text may take megabytes.
    package static func makeNodeInsert(_ db: Database) throws -> Statement {
        try db.makeStatement(sql: "INSERT OR IGNORE INTO graphNode (digest, node) VALUES (?, ?)")
    }

    /// Records that the node whose canonical JSON is `node` is at `position` in a run's graph,
    /// storing its text with `insert` (from ``makeNodeInsert(_:)``) unless a node with the same
    /// digest is stored already: the runs of a pipeline share their nodes. `id` is the run's
    /// identifier as stored (``StoredIdentifier/value(_:)``).
    package static func linkNode(_ node: String, ofRun id: DatabaseValue, at position: Int, inserting insert: Statement, in db: Database) throws {
        let digest = CanonicalJSON.digest(ofText: node)
        try insert.execute(arguments: [digest, node])
        let nodeID = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM graphNode WHERE digest = ?"), arguments: [digest])
        try db.cachedStatement(sql: "INSERT INTO runNode (runID, position, nodeID) VALUES (?, ?, ?)").execute(arguments: [id, position, nodeID])
    }

    /// The number of the stored configuration whose canonical JSON is `configuration`, storing it
    /// unless one with the same digest is stored already: the reruns of a pipeline share theirs.
    package static func storeConfiguration(_ configuration: String, in db: Database) throws -> Int64 {
        let digest = CanonicalJSON.digest(ofText: configuration)
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO runConfiguration (digest, text) VALUES (?, ?)")
            .execute(arguments: [digest, configuration])
        guard
            let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM runConfiguration WHERE digest = ?"), arguments: [digest])
        else {
            throw CairnError.store("the configuration just stored is not in the metadata store")
        }
        return id
    }

    /// A new identifier: a lowercase UUID.
    static func makeID() -> String {
        RandomIdentifier.make()
    }

    /// `wanted` if no run has it yet, or else `wanted_N` with the smallest free N from 2.
    ///
    /// Called inside the write transaction that inserts the run, so the name is still free on insert.
    static func freeRunName(_ wanted: String, numbered: Bool, in db: Database) throws -> String {
        let isTaken = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM run WHERE name = ?)", arguments: [wanted]) ?? false
        guard isTaken else { return wanted }
        guard numbered else { throw CairnError.runNameTaken(name: wanted) }
        // Every name starting with `wanted_`, read as one range of the unique index on names:
        // "`" is the character right after "_".
        let suffixed = try Set(
            String.fetchAll(
                db, sql: "SELECT name FROM run WHERE name >= ? AND name < ?", arguments: [wanted + "_", wanted + "`"]))
        var number = 2
        while suffixed.contains("\(wanted)_\(number)") {
            number += 1
        }
        return "\(wanted)_\(number)"
    }

    /// The SQL conditions that select the runs of a query, served by the run indexes.
    static func conditions(for query: RunQuery) -> [SQL] {
        var conditions: [SQL] = []
        if let pipelineName = query.pipelineName {
            conditions.append("pipelineName = \(pipelineName)")
        }
        if let status = query.status {
            conditions.append("status = \(status.rawValue)")
        }
        if let startedAfter = query.startedAfter {
            conditions.append("startedAt >= \(startedAfter)")
        }
        if let tag = query.tag {
            // Tags are recorded in the run's configuration, with its options.
            conditions.append(
                """
                EXISTS (SELECT 1 FROM runConfiguration, json_each(runConfiguration.text, '$.options.tags')
                        WHERE runConfiguration.id = run.configurationID AND json_each.value = \(tag))
                """)
        }
        return conditions
    }
}
