public import CairnCore
import GRDB

extension SQLiteMetadataStore {
    // MARK: - Inspection

    /// How many pipelines (with runs), runs, step runs, artifact names and artifact versions the store holds.
    ///
    /// Each count reads the smallest index of its table; nothing is decoded.
    public func counts() async throws -> StoreCounts {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT
                            (SELECT COUNT(*) FROM pipeline
                             WHERE EXISTS (SELECT 1 FROM run WHERE run.pipelineName = pipeline.name)) AS pipelines,
                            (SELECT COUNT(*) FROM run) AS runs,
                            (SELECT COUNT(*) FROM stepRun) AS stepRuns,
                            (SELECT COUNT(*) FROM (SELECT DISTINCT name FROM artifactVersion)) AS artifacts,
                            (SELECT COUNT(*) FROM artifactVersion) AS artifactVersions
                        """)
            else { return StoreCounts() }
            return StoreCounts(
                pipelines: row["pipelines"], runs: row["runs"], stepRuns: row["stepRuns"], artifacts: row["artifacts"],
                artifactVersions: row["artifactVersions"])
        }
    }

    /// At most `limit` run names that start with `prefix`, in name order: one range of the unique index on names.
    public func runNames(startingWith prefix: String, limit: Int) async throws -> [String] {
        try await read { db in
            // U+10FFFF sorts after every character a name can hold.
            try String.fetchAll(
                db, sql: "SELECT name FROM run WHERE name >= ? AND name < ? ORDER BY name LIMIT ?",
                arguments: [prefix, prefix + "\u{10FFFF}", limit])
        }
    }

    /// Summaries of the runs matching `query`, newest first: the run rows without their JSON
    /// columns (the graph's nodes are counted by SQLite), then the status counts of their step runs,
    /// in one read. Served by the same indexes as ``runs(_:)``.
    public func runSummaries(_ query: RunQuery) async throws -> [RunSummary] {
        let conditions = Self.conditions(for: query)
        var sql: SQL = """
            SELECT id, name, pipelineName, status, startedAt, endedAt, error, host, processID, processStart, heartbeatAt,
                (SELECT COUNT(*) FROM runNode WHERE runNode.runID = run.id) AS plannedStepCount
            FROM run
            """
        if !conditions.isEmpty {
            sql += " WHERE " + conditions.joined(separator: " AND ")
        }
        sql += " ORDER BY startedAt DESC, rowid DESC LIMIT \(query.limit) OFFSET \(query.offset)"
        let request = SQLRequest<Row>(literal: sql)
        return try await read { db in
            var summaries = try Row.fetchAll(db, request).map { row in
                RunSummary(
                    id: StoredIdentifier.text(row, "id") ?? "", name: row["name"], pipelineName: row["pipelineName"],
                    status: ExecutionStatus(rawValue: row["status"]) ?? .initializing, startedAt: row["startedAt"],
                    endedAt: row["endedAt"], error: row["error"], plannedStepCount: row["plannedStepCount"] ?? 0, host: row["host"],
                    processID: row["processID"], processStart: row["processStart"], heartbeatAt: row["heartbeatAt"])
            }
            guard !summaries.isEmpty else { return [] }
            let counts = try Row.fetchAll(
                db,
                sql: """
                    SELECT runID, status, COUNT(*) AS count FROM stepRun
                    WHERE runID IN (\(Self.placeholders(summaries.count)))
                    GROUP BY runID, status
                    """,
                arguments: StatementArguments(summaries.map { StoredIdentifier.value($0.id) }))
            let index = Dictionary(uniqueKeysWithValues: summaries.enumerated().map { ($1.id, $0) })
            for row in counts {
                guard let runID = StoredIdentifier.text(row, "runID"), let position = index[runID],
                    let status = ExecutionStatus(rawValue: row["status"])
                else { continue }
                summaries[position].stepRunCounts[status] = row["count"]
            }
            return summaries
        }
    }

    /// The output artifact versions of every step run of a run, read through the index on run identifiers.
    public func stepRunOutputs(runID: String) async throws -> [String: [ArtifactLink]] {
        try await read { db in
            var outputs: [String: [ArtifactLink]] = [:]
            // Rows of the statement as it steps, not copies: see ``DecodedRow``.
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT stepRun.id AS linkStepRunID, stepRunOutput.name AS linkName, artifactVersion.*
                    FROM stepRun
                    JOIN stepRunOutput ON stepRunOutput.stepRunNumber = stepRun.number
                    JOIN artifactVersion ON artifactVersion.id = stepRunOutput.artifactVersionID
                    WHERE stepRun.runID = ?
                    ORDER BY stepRunOutput.stepRunNumber, stepRunOutput.name
                    """,
                arguments: [StoredIdentifier.value(runID)])
            while let row = try rows.next() {
                let link = ArtifactLink(name: row["linkName"], artifact: try DecodedRow<ArtifactVersionRecord>(row: row).value)
                outputs[StoredIdentifier.text(row, "linkStepRunID") ?? "", default: []].append(link)
            }
            return outputs
        }
    }

    /// The artifact versions with these identifiers, in the order of `ids`.
    public func artifactVersions(ids: [String]) async throws -> [ArtifactVersionRecord] {
        guard !ids.isEmpty else { return [] }
        return try await read { db in
            try Self.fetchInOrder(ids, identifiedBy: \ArtifactVersionRecord.id) { chunk in
                try DecodedRow<ArtifactVersionRecord>.fetchAll(
                    db, sql: "SELECT * FROM artifactVersion WHERE id IN (\(Self.placeholders(chunk.count)))",
                    arguments: StatementArguments(chunk.map(StoredIdentifier.value))
                ).map(\.value)
            }
        }
    }

    /// The step runs with these identifiers, with the names of their runs, in the order of `ids`.
    public func stepRunReferences(ids: [String]) async throws -> [StepRunReference] {
        guard !ids.isEmpty else { return [] }
        return try await read { db in
            try Self.fetchInOrder(ids, identifiedBy: \StepRunReference.stepRunID) { chunk in
                try DecodedRow<StepRunReference>.fetchAll(
                    db, sql: Self.referenceSelection + " WHERE stepRun.id IN (\(Self.placeholders(chunk.count)))",
                    arguments: StatementArguments(chunk.map(StoredIdentifier.value))
                ).map(\.value)
            }
        }
    }

    /// Every artifact name, in name order, with its number of versions and its latest version.
    ///
    /// One pass over the unique index on (name, version), then one look-up per name.
    public func artifacts() async throws -> [ArtifactSummary] {
        try await read { db in
            // Rows of the statement as it steps, not copies: see ``DecodedRow``.
            try Array(Row.fetchCursor(
                db,
                sql: """
                    SELECT artifactVersion.*, latest.versionCount AS versionCount
                    FROM (SELECT name, MAX(version) AS version, COUNT(*) AS versionCount
                          FROM artifactVersion GROUP BY name) AS latest
                    JOIN artifactVersion
                        ON artifactVersion.name = latest.name AND artifactVersion.version = latest.version
                    ORDER BY artifactVersion.name
                    """
            ).map { row in
                let latest = try DecodedRow<ArtifactVersionRecord>(row: row).value
                return ArtifactSummary(name: latest.name, versionCount: row["versionCount"], latest: latest)
            })
        }
    }

    /// The step runs that read this artifact version as an input, oldest first.
    public func consumers(ofArtifactVersion id: String) async throws -> [StepRunReference] {
        try await read { db in
            try DecodedRow<StepRunReference>.fetchAll(
                db,
                sql: Self.referenceSelection + """
                     WHERE stepRun.number IN (SELECT stepRunNumber FROM stepRunInput WHERE artifactVersionID = ?)
                    ORDER BY stepRun.startedAt, stepRun.rowid
                    """,
                arguments: [StoredIdentifier.value(id)]
            ).map(\.value)
        }
    }

    /// The digest of every artifact version, read from the index on digests.
    public func referencedDigests() async throws -> Set<String> {
        try await read { db in
            // Artifact bytes, and what is stored beside them: step logs and visualizations.
            try String.fetchSet(
                db,
                sql: """
                    SELECT digest FROM artifactVersion
                    UNION SELECT logDigest FROM stepRun WHERE logDigest IS NOT NULL
                    UNION SELECT digest FROM visualization
                    """)
        }
    }

    /// Deletes a run, its step runs and their links, and the artifact versions only it used, in one transaction.
    ///
    /// Deleting the step runs removes their links (the foreign keys cascade), clears `cachedFrom` in
    /// step runs that reused them and the producer of the artifact versions that stay.
    public func deleteRun(id: String) async throws -> RunDeletion {
        let stored = StoredIdentifier.value(id)
        return try await write { db in
            guard let run = try DecodedRow<RunRecord>.fetchOne(db, sql: Self.runSelection + " WHERE id = ?", arguments: [stored])?.value
            else {
                throw CairnError.notFound(kind: "run", name: id, suggestion: nil)
            }
            let produced = try DecodedRow<ArtifactVersionRecord>.fetchAll(
                db,
                sql: """
                    SELECT * FROM artifactVersion
                    WHERE producerStepRunID IN (SELECT id FROM stepRun WHERE runID = ?)
                    ORDER BY name, version
                    """,
                arguments: [stored]
            ).map(\.value)
            let usedElsewhere = try Set(DatabaseValue.fetchAll(
                db,
                sql: """
                    SELECT artifactVersion.id FROM artifactVersion
                    WHERE producerStepRunID IN (SELECT id FROM stepRun WHERE runID = :run)
                        AND (EXISTS (SELECT 1 FROM stepRunInput JOIN stepRun ON stepRun.number = stepRunInput.stepRunNumber
                                     WHERE stepRunInput.artifactVersionID = artifactVersion.id AND stepRun.runID <> :run)
                            OR EXISTS (SELECT 1 FROM stepRunOutput JOIN stepRun ON stepRun.number = stepRunOutput.stepRunNumber
                                       WHERE stepRunOutput.artifactVersionID = artifactVersion.id AND stepRun.runID <> :run))
                    """,
                arguments: ["run": stored]
            ).compactMap(StoredIdentifier.text))
            try db.execute(
                sql: """
                    DELETE FROM metadata WHERE (entityType = 'run' AND entityID = :run)
                        OR (entityType = 'stepRun' AND entityID IN (SELECT id FROM stepRun WHERE runID = :run))
                    """,
                arguments: ["run": stored])
            try db.execute(sql: "DELETE FROM stepRun WHERE runID = ?", arguments: [stored])
            let deletedStepRunCount = db.changesCount
            let deleted = produced.filter { !usedElsewhere.contains($0.id) }
            for chunk in Self.chunks(of: deleted.map(\.id)) {
                try db.execute(
                    sql: "DELETE FROM artifactVersion WHERE id IN (\(Self.placeholders(chunk.count)))",
                    arguments: StatementArguments(chunk.map(StoredIdentifier.value)))
                try db.execute(
                    sql: "DELETE FROM metadata WHERE entityType = 'artifactVersion' AND entityID IN (\(Self.placeholders(chunk.count)))",
                    arguments: StatementArguments(chunk.map(StoredIdentifier.value)))
            }
            try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [stored])
            return RunDeletion(
                run: run, deletedStepRunCount: deletedStepRunCount, deletedArtifactVersions: deleted,
                keptArtifactVersions: produced.filter { usedElsewhere.contains($0.id) })
        }
    }

    // MARK: - Helpers

    /// The columns of a ``StepRunReference``, from a step run joined with its run.
    static let referenceSelection = """
        SELECT stepRun.id AS stepRunID, stepRun.invocation, stepRun.stepName, stepRun.status,
            run.id AS runID, run.name AS runName, run.pipelineName
        FROM stepRun JOIN run ON run.id = stepRun.runID
        """

    /// `count` comma-separated `?` placeholders.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }

    /// The records with identifiers `ids`, in their order and each once, unknown ones left out;
    /// `fetch` reads the records of a chunk of identifiers, in any order.
    ///
    /// Each chunk's records are put in order as soon as they are read: a fan-in asks for a hundred
    /// thousand artifact versions, and a table of them all by identifier would take more memory
    /// than the result itself. For the same reason each record keeps the identifier it was asked
    /// for, equal to the one read, rather than a copy of its own.
    static func fetchInOrder<Record>(
        _ ids: [String], identifiedBy key: WritableKeyPath<Record, String>, fetch: ([String]) throws -> [Record]
    ) throws -> [Record] {
        var seen = Set<String>()
        var records: [Record] = []
        records.reserveCapacity(ids.count)
        for chunk in chunks(of: ids) {
            let found = Dictionary(try fetch(chunk).map { ($0[keyPath: key], $0) }, uniquingKeysWith: { $1 })
            for id in chunk where seen.insert(id).inserted {
                guard var record = found[id] else { continue }
                record[keyPath: key] = id
                records.append(record)
            }
        }
        return records
    }

    /// `values` cut into pieces small enough for one statement's arguments.
    static func chunks(of values: [String], size: Int = 500) -> [[String]] {
        stride(from: 0, to: values.count, by: size).map { Array(values[$0..<min($0 + size, values.count)]) }
    }
}
