public import CairnCore
import Foundation
import GRDB

extension SQLiteMetadataStore {
    // MARK: - Importing a history

    /// Records a run whole, as another store recorded it, in one immediate transaction.
    ///
    /// Its step runs are inserted in their order, so that they list in it; then the artifact versions
    /// they produced, under their own numbers; then the links, which need both.
    ///
    /// - Throws: ``HistoryConflict`` when another run has its name or another version has the number
    ///   of one of its versions, and `CairnError.store(_:)` when a step run or artifact version of
    ///   another run it refers to is not in the store. Nothing is written then.
    public func importRun(_ history: RunHistory) async throws -> Bool {
        let run = history.run
        let outputs = try CanonicalJSON.text(encoding: run.outputs)
        return try await write { db in
            let id = StoredIdentifier.value(run.id)
            guard try !Self.exists(db, sql: "SELECT EXISTS (SELECT 1 FROM run WHERE id = ?)", [id]) else { return false }
            guard try !Self.exists(db, sql: "SELECT EXISTS (SELECT 1 FROM run WHERE name = ?)", [run.name]) else {
                throw HistoryConflict.runName(run.name)
            }
            try Self.refuseTakenNumbers(of: history.artifactVersions.map(\.record), in: db)
            do {
                try db.execute(
                    sql: """
                        INSERT INTO pipeline (name, createdAt) VALUES (?, ?)
                        ON CONFLICT (name) DO UPDATE SET createdAt = min(createdAt, excluded.createdAt)
                        """,
                    arguments: [run.pipelineName, DatabaseDate.value(history.pipelineCreatedAt)])
                let configurationID = try Self.storeConfiguration(run.configuration, in: db)
                try db.execute(
                    sql: """
                        INSERT INTO run (id, name, pipelineName, status, startedAt, endedAt, configurationID, error, outputs, host, processID,
                            processStart, heartbeatAt)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        id, run.name, run.pipelineName, run.status.rawValue, DatabaseDate.value(run.startedAt), run.endedAt.map(DatabaseDate.value),
                        configurationID, run.error, outputs, run.host, run.processID, run.processStart, run.heartbeatAt.map(DatabaseDate.value),
                    ])
                try Self.recordNodes(of: run.graph, ofRun: run.id, in: db)
                try Self.insertMetadata(history.metadata, on: .run(id: run.id), in: db)
                var numbers: [String: Int64] = [:]
                for stepRun in history.stepRuns {
                    numbers[stepRun.record.id] = try Self.insertImported(stepRun.record, in: db)
                    try Self.insertMetadata(stepRun.metadata, on: .stepRun(id: stepRun.record.id), in: db)
                }
                for version in history.artifactVersions {
                    try Self.insertImported(version, in: db)
                }
                for stepRun in history.stepRuns {
                    guard let number = numbers[stepRun.record.id] else { continue }
                    try Self.linkImported(stepRun, number: number, in: db)
                }
            } catch let error as DatabaseError where error.isForeignKeyViolation {
                throw CairnError.store(
                    "cannot import run '\(run.name)' into the metadata store at \(path): a step run or artifact version of another run "
                        + "that it refers to is not there (\(error.message ?? "\(error)"))")
            }
            return true
        }
    }

    /// Records an artifact version that no step run produced, with its number, metadata and
    /// visualizations, in one immediate transaction.
    public func importArtifactVersion(_ version: ArtifactVersionHistory) async throws -> Bool {
        try await write { db in
            let id = StoredIdentifier.value(version.record.id)
            guard try !Self.exists(db, sql: "SELECT EXISTS (SELECT 1 FROM artifactVersion WHERE id = ?)", [id]) else { return false }
            try Self.refuseTakenNumbers(of: [version.record], in: db)
            try Self.insertImported(version, in: db)
            return true
        }
    }

    // MARK: - Helpers

    /// Whether the one-value query `sql` answers true.
    private static func exists(_ db: Database, sql: String, _ arguments: StatementArguments) throws -> Bool {
        try Bool.fetchOne(db, sql: sql, arguments: arguments) ?? false
    }

    /// Throws ``HistoryConflict/artifactVersion(name:version:)`` for the first of `versions` whose
    /// name and number another version, with another identifier, has.
    private static func refuseTakenNumbers(of versions: [ArtifactVersionRecord], in db: Database) throws {
        for version in versions {
            let holder = try DatabaseValue.fetchOne(
                db, sql: "SELECT id FROM artifactVersion WHERE name = ? AND version = ?", arguments: [version.name, version.version])
            if let holder, StoredIdentifier.text(holder) != version.id {
                throw HistoryConflict.artifactVersion(name: version.name, version: version.version)
            }
        }
    }

    /// Inserts a step run as it was recorded, and returns its number (`stepRun.number`).
    private static func insertImported(_ stepRun: StepRunRecord, in db: Database) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO stepRun (id, runID, invocation, stepName, status, queuedAt, startedAt, endedAt, parameters, fingerprint,
                    error, cachedFrom, attempt, cacheKey, logDigest)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                StoredIdentifier.value(stepRun.id), StoredIdentifier.value(stepRun.runID), stepRun.invocation, stepRun.stepName,
                stepRun.status.rawValue, stepRun.queuedAt.map(DatabaseDate.value), DatabaseDate.value(stepRun.startedAt),
                stepRun.endedAt.map(DatabaseDate.value), CanonicalJSON.string(encoding: stepRun.parameters), StoredDigest.value(stepRun.fingerprint),
                stepRun.error, StoredIdentifier.value(stepRun.cachedFrom), stepRun.attempt, StoredDigest.value(stepRun.cacheKey), stepRun.logDigest,
            ])
        let number = db.lastInsertedRowID
        if let key = stepRun.cacheKey, let ingredients = stepRun.cacheIngredients {
            try db.execute(
                sql: "INSERT OR IGNORE INTO cacheIngredients (cacheKey, ingredients) VALUES (?, ?)", arguments: [StoredDigest.value(key), ingredients])
        }
        return number
    }

    /// Inserts an artifact version under its own number, with its metadata and visualizations,
    /// unless a version with its identifier is there already.
    private static func insertImported(_ version: ArtifactVersionHistory, in db: Database) throws {
        let record = version.record
        try db.execute(
            sql: """
                INSERT INTO artifactVersion (id, name, version, digest, typeName, serializer, serializerVersion, size, createdAt,
                    producerStepRunID, outputName, unusableReason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO NOTHING
                """,
            arguments: [
                StoredIdentifier.value(record.id), record.name, record.version, record.digest, record.typeName, record.serializer,
                record.serializerVersion, record.size, DatabaseDate.value(record.createdAt), StoredIdentifier.value(record.producerStepRunID),
                record.outputName, record.unusableReason,
            ])
        guard db.changesCount > 0 else { return }
        try insertMetadata(version.metadata, on: .artifactVersion(id: record.id), in: db)
        for visualization in version.visualizations {
            try db.execute(
                sql: "INSERT OR REPLACE INTO visualization (artifactVersionID, kind, digest) VALUES (?, ?, ?)",
                arguments: [StoredIdentifier.value(record.id), visualization.kind.rawValue, visualization.digest])
        }
    }

    /// Links a step run, by its number, to its inputs, outputs and parents.
    private static func linkImported(_ stepRun: RunHistory.StepRun, number: Int64, in db: Database) throws {
        for input in stepRun.inputs {
            try db.execute(
                sql: "INSERT INTO stepRunInput (stepRunNumber, name, position, artifactVersionID) VALUES (?, ?, ?, ?)",
                arguments: [number, input.name, input.position, StoredIdentifier.value(input.artifactVersionID)])
        }
        for (name, artifactVersionID) in stepRun.outputs.sorted(by: { $0.key < $1.key }) {
            try insertOutput(stepRunNumber: number, name: name, artifactVersionID: artifactVersionID, in: db)
        }
        for (position, parent) in stepRun.parents.enumerated() {
            let parentID = StoredIdentifier.value(parent)
            try db.execute(
                sql: "INSERT OR IGNORE INTO stepRunParent (stepRunNumber, parentNumber, position) SELECT ?, number, ? FROM stepRun WHERE id = ?",
                arguments: [number, position, parentID])
            if db.changesCount == 0, try !exists(db, sql: "SELECT EXISTS (SELECT 1 FROM stepRun WHERE id = ?)", [parentID]) {
                throw DatabaseError(resultCode: .SQLITE_CONSTRAINT_FOREIGNKEY, message: "no step run \(parent)")
            }
        }
    }

    /// Records metadata on a run, step run or artifact version.
    private static func insertMetadata(_ values: [String: JSONValue], on target: MetadataTarget, in db: Database) throws {
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            try db.execute(
                sql: "INSERT OR REPLACE INTO metadata (entityType, entityID, key, value) VALUES (?, ?, ?, ?)",
                arguments: [target.kind, StoredIdentifier.value(target.id), key, try CanonicalJSON.text(encoding: value)])
        }
    }
}
