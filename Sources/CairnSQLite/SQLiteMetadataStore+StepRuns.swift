public import CairnCore
import Foundation
import GRDB

extension SQLiteMetadataStore {
    // MARK: - Step runs

    /// Writes step runs' starts and ends in one transaction, in order.
    ///
    /// A completed step run's outputs become new versions of their artifacts, each numbered one past
    /// the highest existing version of its name. The number is chosen inside the same immediate
    /// transaction as the insert, so concurrent processes never get the same number.
    ///
    /// - Throws: `CairnError.store(_:)` when a started step run's run, input artifact version or
    ///   parent step run is not in the store, and `CairnError.notFound(kind:name:suggestion:)` when an
    ///   ended step run is not; then nothing is written.
    @discardableResult
    public func writeStepRuns(_ writes: [StepRunWrite]) async throws -> [[ArtifactVersionRecord]] {
        guard !writes.isEmpty else { return [] }
        return try await write { db in
            try writes.map { write in
                switch write {
                case .start(let stepRun):
                    do {
                        try Self.insert(stepRun, in: db)
                    } catch let error as DatabaseError where error.isForeignKeyViolation {
                        throw CairnError.store(
                            "cannot record step run '\(stepRun.invocation)': its run \(stepRun.runID), one of its input artifact "
                                + "versions or one of its parent step runs is not in the metadata store (\(error.message ?? "\(error)"))")
                    }
                    return []
                case .end(let id, let outcome, let startedAt, let endedAt):
                    return try Self.finish(id, outcome: outcome, startedAt: startedAt, at: endedAt, in: db)
                }
            }
        }
    }

    /// Links a stored log to a step run.
    public func attachLog(stepRunID: String, digest: String) async throws {
        try await write { db in
            try db.execute(literal: "UPDATE stepRun SET logDigest = \(digest) WHERE id = \(StoredIdentifier.value(stepRunID))")
        }
    }

    /// Marks a failed step run as retried.
    public func markRetried(stepRunID: String) async throws {
        try await write { db in
            try db.execute(
                literal: """
                    UPDATE stepRun SET status = \(ExecutionStatus.retried.rawValue)
                    WHERE id = \(StoredIdentifier.value(stepRunID)) AND status = \(ExecutionStatus.failed.rawValue)
                    """)
        }
    }

    /// Completed step runs with this cache key, newest first.
    public func cacheCandidates(key: String, limit: Int) async throws -> [StepRunRecord] {
        try await read { db in
            // Cached statements: looked up for every step of every run, they are prepared once per connection.
            try DecodedRow<StepRunRecord>.fetchAll(
                db.cachedStatement(sql: "SELECT \(Self.listedColumns) FROM stepRun WHERE cacheKey = ? AND status = 'completed' ORDER BY endedAt DESC LIMIT ?"),
                arguments: [StoredDigest.value(key), limit]
            ).map(\.value)
        }
    }

    /// Records how step run `id` ended, with its new output versions; see ``StepRunWrite/end(stepRunID:outcome:startedAt:endedAt:)``.
    private static func finish(_ id: String, outcome: StepOutcome, startedAt: Date?, at date: Date, in db: Database) throws -> [ArtifactVersionRecord] {
        let status: ExecutionStatus
        let error: String?
        let outputs: [NewArtifactVersion]
        switch outcome {
        case .completed(let newOutputs, let note):
            (status, error, outputs) = (.completed, note, newOutputs)
        case .failed(let message):
            (status, error, outputs) = (.failed, message, [])
        case .stopped(let reason):
            (status, error, outputs) = (.stopped, reason, [])
        }
        // A cached statement, prepared once per connection: every step run ends with it.
        let ended = try Int64.fetchOne(
            db.cachedStatement(
                sql: "UPDATE stepRun SET status = ?, error = ?, startedAt = coalesce(?, startedAt), endedAt = ? WHERE id = ? RETURNING number"),
            arguments: [status.rawValue, error, startedAt.map(DatabaseDate.value), DatabaseDate.value(date), StoredIdentifier.value(id)])
        guard let number = ended else {
            throw CairnError.notFound(kind: "step run", name: id, suggestion: nil)
        }
        var created: [ArtifactVersionRecord] = []
        for output in outputs {
            let version = try insertArtifactVersion(output, producer: id, at: date, in: db)
            try insertOutput(stepRunNumber: number, name: output.outputName, artifactVersionID: version.id, in: db)
            created.append(version)
        }
        return created
    }

    /// The step run with this identifier.
    public func stepRun(id: String) async throws -> StepRunRecord? {
        try await read { db in
            try DecodedRow<StepRunRecord>.fetchOne(
                db,
                sql: """
                    SELECT stepRun.*, (SELECT ingredients FROM cacheIngredients WHERE cacheIngredients.cacheKey = stepRun.cacheKey) AS cacheIngredients
                    FROM stepRun WHERE id = ?
                    """,
                arguments: [StoredIdentifier.value(id)])?.value
        }
    }

    /// The step runs of a run, in the order they were created.
    public func stepRuns(runID: String) async throws -> [StepRunRecord] {
        try await read { db in
            try DecodedRow<StepRunRecord>.fetchAll(
                db, sql: "SELECT \(Self.listedColumns) FROM stepRun WHERE runID = ? ORDER BY startedAt, rowid",
                arguments: [StoredIdentifier.value(runID)]
            ).map(\.value)
        }
    }

    /// The input artifact versions of a step run, by input name, then position.
    public func inputs(ofStepRun id: String) async throws -> [ArtifactLink] {
        try await read { db in
            try Self.fetchLinks(
                db,
                sql: """
                    SELECT stepRunInput.name AS linkName, stepRunInput.position AS linkPosition, artifactVersion.*
                    FROM stepRun JOIN stepRunInput ON stepRunInput.stepRunNumber = stepRun.number
                    JOIN artifactVersion ON artifactVersion.id = stepRunInput.artifactVersionID
                    WHERE stepRun.id = ?
                    ORDER BY stepRunInput.name, stepRunInput.position
                    """,
                stepRunID: id)
        }
    }

    /// The output artifact versions of a step run, by output name.
    public func outputs(ofStepRun id: String) async throws -> [ArtifactLink] {
        try await read { db in
            try Self.fetchLinks(
                db,
                sql: """
                    SELECT stepRunOutput.name AS linkName, 0 AS linkPosition, artifactVersion.*
                    FROM stepRun JOIN stepRunOutput ON stepRunOutput.stepRunNumber = stepRun.number
                    JOIN artifactVersion ON artifactVersion.id = stepRunOutput.artifactVersionID
                    WHERE stepRun.id = ?
                    ORDER BY stepRunOutput.name
                    """,
                stepRunID: id)
        }
    }

    /// The identifiers of the step runs a step run depends on, in the order they were given.
    public func parents(ofStepRun id: String) async throws -> [String] {
        try await read { db in
            try DatabaseValue.fetchAll(
                db,
                sql: """
                    SELECT parent.id FROM stepRun AS child
                    JOIN stepRunParent ON stepRunParent.stepRunNumber = child.number
                    JOIN stepRun AS parent ON parent.number = stepRunParent.parentNumber
                    WHERE child.id = ?
                    ORDER BY stepRunParent.position
                    """,
                arguments: [StoredIdentifier.value(id)]
            ).compactMap(StoredIdentifier.text)
        }
    }

    // MARK: - Helpers

    /// The columns of a step run as lists show it: all but the cache key's ingredients, the largest.
    static let listedColumns = """
        id, runID, invocation, stepName, status, queuedAt, startedAt, endedAt, parameters, fingerprint, error, cachedFrom, attempt,
        cacheKey, NULL AS cacheIngredients, logDigest
        """

    /// Inserts a step run with its input, parent and reused output links.
    ///
    /// The links refer to the step run by its number in the table (`stepRun.number`, its rowid),
    /// a few bytes, where its identifier takes 16. The statements are prepared once per connection
    /// and reused: a run inserts a step run for every step, and a fully cached run does little else.
    ///
    /// - Throws: A foreign key violation, as SQLite reports one, when a parent step run is not in the store.
    static func insert(_ stepRun: NewStepRun, in db: Database) throws {
        let startedAt = DatabaseDate.value(stepRun.startedAt)
        try db.cachedStatement(
            sql: """
                INSERT INTO stepRun (id, runID, invocation, stepName, status, queuedAt, startedAt, endedAt, parameters, fingerprint,
                    error, cachedFrom, attempt, cacheKey)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            StoredIdentifier.value(stepRun.id), StoredIdentifier.value(stepRun.runID), stepRun.invocation, stepRun.stepName,
            stepRun.status.rawValue,
            stepRun.queuedAt.map(DatabaseDate.value), startedAt,
            stepRun.status.isFinished ? startedAt : nil, CanonicalJSON.string(encoding: stepRun.parameters),
            StoredDigest.value(stepRun.fingerprint), stepRun.error, StoredIdentifier.value(stepRun.cachedFrom), stepRun.attempt,
            StoredDigest.value(stepRun.cacheKey),
        ])
        let number = db.lastInsertedRowID
        if let key = stepRun.cacheKey, let ingredients = stepRun.cacheIngredients {
            // Once per key: the key is the ingredients' digest.
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO cacheIngredients (cacheKey, ingredients) VALUES (?, ?)")
                .execute(arguments: [StoredDigest.value(key), ingredients])
        }
        for input in stepRun.inputs {
            try db.cachedStatement(sql: "INSERT INTO stepRunInput (stepRunNumber, name, position, artifactVersionID) VALUES (?, ?, ?, ?)")
                .execute(arguments: [number, input.name, input.position, StoredIdentifier.value(input.artifactVersionID)])
        }
        // A parent given twice keeps its first place.
        for (position, parent) in stepRun.parents.enumerated() {
            let parentID = StoredIdentifier.value(parent)
            try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO stepRunParent (stepRunNumber, parentNumber, position) SELECT ?, number, ? FROM stepRun WHERE id = ?"
            ).execute(arguments: [number, position, parentID])
            guard db.changesCount == 0 else { continue }
            // Nothing inserted: the parent was given before, or it is not in the store.
            let isStored = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM stepRun WHERE id = ?)", arguments: [parentID]) ?? false
            if !isStored {
                throw DatabaseError(resultCode: .SQLITE_CONSTRAINT_FOREIGNKEY, message: "no step run \(parent)")
            }
        }
        for (name, artifactVersionID) in stepRun.reusedOutputs.sorted(by: { $0.key < $1.key }) {
            try insertOutput(stepRunNumber: number, name: name, artifactVersionID: artifactVersionID, in: db)
        }
    }

    /// Links an output artifact version to the step run that produced or reused it, by the step run's number.
    static func insertOutput(stepRunNumber: Int64, name: String, artifactVersionID: String, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO stepRunOutput (stepRunNumber, name, artifactVersionID) VALUES (?, ?, ?)")
            .execute(arguments: [stepRunNumber, name, StoredIdentifier.value(artifactVersionID)])
    }

    /// Links from rows made of `linkName`, `linkPosition` and the columns of an artifact version,
    /// read as the statement steps (see ``DecodedRow``).
    static func fetchLinks(_ db: Database, sql: String, stepRunID: String) throws -> [ArtifactLink] {
        try Array(
            Row.fetchCursor(db.cachedStatement(sql: sql), arguments: [StoredIdentifier.value(stepRunID)]).map { row in
                ArtifactLink(
                    name: row["linkName"], position: row["linkPosition"],
                    artifact: try DecodedRow<ArtifactVersionRecord>(row: row).value)
            })
    }
}
