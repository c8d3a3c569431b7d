import CairnCore
import Foundation
package import GRDB

extension SQLiteMetadataStore {
    /// The schema's migrations, oldest first.
    ///
    /// A registered migration is never edited once released: a schema change is a new migration.
    /// Dates are stored GRDB's way, as UTC text `YYYY-MM-DD HH:MM:SS.SSS`, which sorts in time order.
    /// JSON columns hold canonical JSON.
    package static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "pipeline") { t in
                t.primaryKey("name", .text)
                t.column("createdAt", .datetime).notNull()
            }

            try db.create(table: "run") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull().unique()
                t.column("pipelineName", .text).notNull().references("pipeline")
                t.column("status", .text).notNull()
                t.column("startedAt", .datetime).notNull()
                t.column("endedAt", .datetime)
                t.column("configuration", .text).notNull()
                t.column("graph", .text).notNull()
                t.column("error", .text)
                t.column("outputs", .text).notNull()
                t.column("host", .text).notNull()
                t.column("processID", .integer).notNull()
            }
            // Runs are listed newest first (`ORDER BY startedAt DESC, rowid DESC`). Ascending
            // indexes serve that order completely, read backwards, rowid included; a DESC index
            // would leave SQLite to sort the rowid part itself.
            try db.create(index: "run_on_startedAt", on: "run", columns: ["startedAt"])
            try db.create(index: "run_on_pipelineName_startedAt", on: "run", columns: ["pipelineName", "startedAt"])
            try db.create(index: "run_on_status_startedAt", on: "run", columns: ["status", "startedAt"])

            try db.create(table: "stepRun") { t in
                t.primaryKey("id", .text)
                t.column("runID", .text).notNull().references("run", onDelete: .cascade)
                t.column("invocation", .text).notNull()
                t.column("stepName", .text).notNull()
                t.column("status", .text).notNull()
                t.column("startedAt", .datetime).notNull()
                t.column("endedAt", .datetime)
                t.column("parameters", .text).notNull()
                t.column("fingerprint", .text).notNull()
                t.column("error", .text)
                t.column("cachedFrom", .text).references("stepRun", onDelete: .setNull)
                t.column("attempt", .integer).notNull()
            }
            try db.create(index: "stepRun_on_runID_startedAt", on: "stepRun", columns: ["runID", "startedAt"])
            try db.create(index: "stepRun_on_cachedFrom", on: "stepRun", columns: ["cachedFrom"])

            try db.create(table: "artifactVersion") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("version", .integer).notNull()
                t.column("digest", .text).notNull()
                t.column("typeName", .text).notNull()
                t.column("serializer", .text).notNull()
                t.column("serializerVersion", .integer).notNull()
                t.column("size", .integer).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("producerStepRunID", .text).references("stepRun", onDelete: .setNull)
                t.column("outputName", .text)
                t.uniqueKey(["name", "version"])
            }
            try db.create(index: "artifactVersion_on_digest", on: "artifactVersion", columns: ["digest"])
            try db.create(index: "artifactVersion_on_producerStepRunID", on: "artifactVersion", columns: ["producerStepRunID"])

            // Lineage: each link table has its primary key for one direction
            // (a step run's inputs, outputs, parents) and an index for the other
            // (the consumers of an artifact version, the children of a step run).
            try db.create(table: "stepRunInput") { t in
                t.column("stepRunID", .text).notNull().references("stepRun", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("position", .integer).notNull()
                t.column("artifactVersionID", .text).notNull().references("artifactVersion")
                t.primaryKey(["stepRunID", "name", "position"])
            }
            try db.create(index: "stepRunInput_on_artifactVersionID", on: "stepRunInput", columns: ["artifactVersionID"])

            try db.create(table: "stepRunOutput") { t in
                t.column("stepRunID", .text).notNull().references("stepRun", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("artifactVersionID", .text).notNull().references("artifactVersion")
                t.primaryKey(["stepRunID", "name"])
            }
            try db.create(index: "stepRunOutput_on_artifactVersionID", on: "stepRunOutput", columns: ["artifactVersionID"])

            try db.create(table: "stepRunParent") { t in
                t.column("stepRunID", .text).notNull().references("stepRun", onDelete: .cascade)
                t.column("parentStepRunID", .text).notNull().references("stepRun", onDelete: .cascade)
                t.primaryKey(["stepRunID", "parentStepRunID"])
            }
            try db.create(index: "stepRunParent_on_parentStepRunID", on: "stepRunParent", columns: ["parentStepRunID"])
        }
        migrator.registerMigration("v2-cache-keys") { db in
            try db.alter(table: "stepRun") { t in
                t.add(column: "cacheKey", .text)
                t.add(column: "cacheIngredients", .text)
            }
            // Cache lookups: the newest completed step runs with a key.
            try db.create(index: "stepRun_on_cacheKey", on: "stepRun", columns: ["cacheKey", "status", "endedAt"])
        }
        migrator.registerMigration("v3-run-heartbeat") { db in
            try db.alter(table: "run") { t in
                t.add(column: "heartbeatAt", .datetime)
            }
        }
        migrator.registerMigration("v4-step-logs") { db in
            try db.alter(table: "stepRun") { t in
                t.add(column: "logDigest", .text)
            }
        }
        migrator.registerMigration("v5-metadata") { db in
            try db.create(table: "metadata") { t in
                t.column("entityType", .text).notNull()
                t.column("entityID", .text).notNull()
                t.column("key", .text).notNull()
                t.column("value", .text).notNull()
                t.primaryKey(["entityType", "entityID", "key"])
            }
            try db.create(table: "visualization") { t in
                t.column("artifactVersionID", .text).notNull().references("artifactVersion", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("digest", .text).notNull()
                t.primaryKey(["artifactVersionID", "kind"])
            }
        }
        migrator.registerMigration("v6-run-nodes") { db in
            // A run's graph is kept one node a row, in call order, rather than as one text in the
            // run's row: a dynamic run may have a hundred thousand nodes, and one text of them all
            // would be held and copied whole, several times, to be written.
            try db.create(table: "runNode", options: .withoutRowID) { t in
                t.column("runID", .text).notNull().references("run", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("node", .text).notNull()
                t.primaryKey(["runID", "position"])
            }
            try db.execute(
                sql: "INSERT INTO runNode (runID, position, node) SELECT run.id, node.key, node.value FROM run, json_each(run.graph, '$.nodes') AS node")
            try db.alter(table: "run") { t in
                t.drop(column: "graph")
            }
        }
        migrator.registerMigration("v7-step-queued-at") { db in
            // When each step was ready to run, beside when it started and ended: a run's timeline.
            try db.alter(table: "stepRun") { t in
                t.add(column: "queuedAt", .datetime)
            }
        }
        migrator.registerMigration("v8-unusable-artifacts") { db in
            // Why a version's bytes cannot be used, once a load or a verification found them
            // missing or changed: cache hits and resumes then skip it and run its producer again.
            try db.alter(table: "artifactVersion") { t in
                t.add(column: "unusableReason", .text)
            }
        }
        migrator.registerMigration("v9-compact") { db in
            try compact(db)
        }
        migrator.registerMigration("v10-run-process-start") { db in
            // When the run's process started, so that a process given the same identifier later is
            // not taken for it, and a live process is never taken for a dead one.
            try db.alter(table: "run") { t in
                t.add(column: "processStart", .text)
            }
        }
        migrator.registerMigration("v11-compact-identifiers") { db in
            try compactIdentifiers(db)
        }
        migrator.registerMigration("v12-secrets") { db in
            try createSecretTable(db)
        }
        migrator.registerMigration("v13-schedules") { db in
            try createScheduleTables(db)
        }
        return migrator
    }()

    /// Stores each repeated text once and drops index entries no query needs: a quickstart run (11
    /// steps, most of them cached on a rerun) took 25 KB of records, and now takes less than half.
    ///
    /// - Cache-key ingredients go to a table keyed by the cache key, which is their digest: every
    ///   cached step run and every rerun with the same ingredients had its own copy.
    /// - A run's graph nodes go to a table of distinct nodes, keyed by their digest; a run keeps a
    ///   row per node that points to one: each rerun of a pipeline repeated every node's text.
    /// - The cache lookup's index covers only completed step runs, the only ones it looks for.
    static func compact(_ db: Database) throws {
        try db.create(table: "cacheIngredients", options: .withoutRowID) { t in
            t.primaryKey("cacheKey", .text)
            t.column("ingredients", .text).notNull()
        }
        try db.execute(sql: """
            INSERT OR IGNORE INTO cacheIngredients (cacheKey, ingredients)
            SELECT cacheKey, cacheIngredients FROM stepRun WHERE cacheKey IS NOT NULL AND cacheIngredients IS NOT NULL
            """)
        try db.alter(table: "stepRun") { t in t.drop(column: "cacheIngredients") }
        try db.drop(index: "stepRun_on_cacheKey")
        try db.execute(sql: "CREATE INDEX stepRun_on_cacheKey ON stepRun (cacheKey, endedAt) WHERE status = 'completed'")

        try db.create(table: "graphNode") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("digest", .text).notNull().unique()
            t.column("node", .text).notNull()
        }
        try db.rename(table: "runNode", to: "runNodeText")
        try db.create(table: "runNode", options: .withoutRowID) { t in
            t.column("runID", .text).notNull().references("run", onDelete: .cascade)
            t.column("position", .integer).notNull()
            t.column("nodeID", .integer).notNull().references("graphNode")
            t.primaryKey(["runID", "position"])
        }
        let nodes = try Row.fetchCursor(db, sql: "SELECT runID, position, node FROM runNodeText")
        let insert = try makeNodeInsert(db)
        while let row = try nodes.next() {
            try linkNode(row["node"], ofRun: row["runID"] as DatabaseValue, at: row["position"], inserting: insert, in: db)
        }
        try db.drop(table: "runNodeText")
    }

    /// Stores identifiers in 16 bytes rather than 36 and digests in 32 rather than 64, and links
    /// step runs by number: a cached rerun of the quickstart (11 steps) took 16 KB of records, most
    /// of them identifiers, and now takes less than half.
    ///
    /// - Every identifier column holds ``StoredIdentifier/value(_:)`` of its identifier, and the
    ///   fingerprint and cache key columns ``StoredDigest/value(_:)`` of their digests.
    /// - A step run has a number (`stepRun.number`, its rowid, kept), and the lineage links refer to
    ///   step runs by number.
    /// - The link tables are keyed by their primary key alone (`WITHOUT ROWID`): with a rowid, each
    ///   link was kept twice, in the table and in the index of its primary key. A step run's
    ///   parents keep the order they were given in a `position` column, where the rowid kept it.
    /// - Run configurations go to a table of distinct configurations, keyed by their digest, as
    ///   graph nodes do: every rerun of a pipeline repeated the same 600 bytes.
    static func compactIdentifiers(_ db: Database) throws {
        let identifier = DatabaseFunction("cairnStoredIdentifier", argumentCount: 1, pure: true) { values in
            guard case .string(let id) = values[0].storage else { return values[0] }
            return StoredIdentifier.value(id)
        }
        let digest = DatabaseFunction("cairnStoredDigest", argumentCount: 1, pure: true) { values in
            guard case .string(let text) = values[0].storage else { return values[0] }
            return StoredDigest.value(text)
        }
        let configurationDigest = DatabaseFunction("cairnDigest", argumentCount: 1, pure: true) { values in
            String.fromDatabaseValue(values[0]).map(CanonicalJSON.digest(ofText:))
        }
        for function in [identifier, digest, configurationDigest] { db.add(function: function) }
        defer {
            for function in [identifier, digest, configurationDigest] { db.remove(function: function) }
        }
        let columns = [
            "run": ["id"], "runNode": ["runID"], "artifactVersion": ["id", "producerStepRunID"], "visualization": ["artifactVersionID"],
            "metadata": ["entityID"],
        ]
        for (table, names) in columns.sorted(by: { $0.key < $1.key }) {
            let assignments = names.map { "\($0) = cairnStoredIdentifier(\($0))" }.joined(separator: ", ")
            try db.execute(sql: "UPDATE \(table) SET \(assignments)")
        }
        try db.execute(sql: "UPDATE cacheIngredients SET cacheKey = cairnStoredDigest(cacheKey)")

        try db.create(table: "runConfiguration") { t in
            t.primaryKey("id", .integer)
            t.column("digest", .text).notNull().unique()
            t.column("text", .text).notNull()
        }
        try db.alter(table: "run") { t in
            t.add(column: "configurationID", .integer).references("runConfiguration")
        }
        try db.execute(sql: """
            INSERT OR IGNORE INTO runConfiguration (digest, text) SELECT cairnDigest(configuration), configuration FROM run ORDER BY rowid;
            UPDATE run SET configurationID = (SELECT id FROM runConfiguration WHERE digest = cairnDigest(run.configuration));
            """)
        try db.alter(table: "run") { t in t.drop(column: "configuration") }

        try db.create(table: "stepRunNumbered") { t in
            t.primaryKey("number", .integer)
            t.column("id", .blob).notNull().unique()
            t.column("runID", .blob).notNull().references("run", onDelete: .cascade)
            t.column("invocation", .text).notNull()
            t.column("stepName", .text).notNull()
            t.column("status", .text).notNull()
            t.column("queuedAt", .datetime)
            t.column("startedAt", .datetime).notNull()
            t.column("endedAt", .datetime)
            t.column("parameters", .text).notNull()
            t.column("fingerprint", .blob).notNull()
            t.column("error", .text)
            t.column("cachedFrom", .blob).references("stepRun", column: "id", onDelete: .setNull)
            t.column("attempt", .integer).notNull()
            t.column("cacheKey", .blob)
            t.column("logDigest", .text)
        }
        try db.execute(sql: """
            INSERT INTO stepRunNumbered (number, id, runID, invocation, stepName, status, queuedAt, startedAt, endedAt, parameters,
                fingerprint, error, cachedFrom, attempt, cacheKey, logDigest)
            SELECT rowid, cairnStoredIdentifier(id), cairnStoredIdentifier(runID), invocation, stepName, status, queuedAt, startedAt,
                endedAt, parameters, cairnStoredDigest(fingerprint), error, cairnStoredIdentifier(cachedFrom), attempt,
                cairnStoredDigest(cacheKey), logDigest
            FROM stepRun
            """)

        try db.create(table: "stepRunInputNumbered", options: .withoutRowID) { t in
            t.column("stepRunNumber", .integer).notNull().references("stepRun", column: "number", onDelete: .cascade)
            t.column("name", .text).notNull()
            t.column("position", .integer).notNull()
            t.column("artifactVersionID", .blob).notNull().references("artifactVersion")
            t.primaryKey(["stepRunNumber", "name", "position"])
        }
        try db.execute(sql: """
            INSERT INTO stepRunInputNumbered (stepRunNumber, name, position, artifactVersionID)
            SELECT stepRun.rowid, link.name, link.position, cairnStoredIdentifier(link.artifactVersionID)
            FROM stepRunInput AS link JOIN stepRun ON stepRun.id = link.stepRunID
            """)
        try db.create(table: "stepRunOutputNumbered", options: .withoutRowID) { t in
            t.column("stepRunNumber", .integer).notNull().references("stepRun", column: "number", onDelete: .cascade)
            t.column("name", .text).notNull()
            t.column("artifactVersionID", .blob).notNull().references("artifactVersion")
            t.primaryKey(["stepRunNumber", "name"])
        }
        try db.execute(sql: """
            INSERT INTO stepRunOutputNumbered (stepRunNumber, name, artifactVersionID)
            SELECT stepRun.rowid, link.name, cairnStoredIdentifier(link.artifactVersionID)
            FROM stepRunOutput AS link JOIN stepRun ON stepRun.id = link.stepRunID
            """)
        try db.create(table: "stepRunParentNumbered", options: .withoutRowID) { t in
            t.column("stepRunNumber", .integer).notNull().references("stepRun", column: "number", onDelete: .cascade)
            t.column("parentNumber", .integer).notNull().references("stepRun", column: "number", onDelete: .cascade)
            t.column("position", .integer).notNull()
            t.primaryKey(["stepRunNumber", "parentNumber"])
        }
        try db.execute(sql: """
            INSERT INTO stepRunParentNumbered (stepRunNumber, parentNumber, position)
            SELECT child.rowid, parent.rowid, link.rowid
            FROM stepRunParent AS link JOIN stepRun AS child ON child.id = link.stepRunID JOIN stepRun AS parent ON parent.id = link.parentStepRunID
            """)

        for table in ["stepRunInput", "stepRunOutput", "stepRunParent", "stepRun"] {
            try db.drop(table: table)
            try db.rename(table: table + "Numbered", to: table)
        }
        try db.create(index: "stepRun_on_runID_startedAt", on: "stepRun", columns: ["runID", "startedAt"])
        try db.create(index: "stepRun_on_cachedFrom", on: "stepRun", columns: ["cachedFrom"])
        try db.execute(sql: "CREATE INDEX stepRun_on_cacheKey ON stepRun (cacheKey, endedAt) WHERE status = 'completed'")
        try db.create(index: "stepRunInput_on_artifactVersionID", on: "stepRunInput", columns: ["artifactVersionID"])
        try db.create(index: "stepRunOutput_on_artifactVersionID", on: "stepRunOutput", columns: ["artifactVersionID"])
        try db.create(index: "stepRunParent_on_parentNumber", on: "stepRunParent", columns: ["parentNumber"])
    }

    /// The identifier of the newest migration this build knows: the schema version of a current store.
    public static var latestSchemaVersion: String {
        migrator.migrations.last ?? ""
    }

    /// Refuses a file written by a newer Cairn, then applies the migrations it lacks.
    ///
    /// A file whose schema is current is only read: one query, no write transaction, so that
    /// opening a store (every `cairn` command does) costs next to nothing.
    static func migrate(_ dbPool: DatabasePool, path: String) throws {
        let applied = try readWaiting(dbPool) { db in try migrator.appliedIdentifiers(db) }
        if try isCurrent(applied, path: path) { return }
        do {
            try migrator.migrate(dbPool)
        } catch {
            // Two processes opening a new file at once both try to migrate it; the one that
            // loses finds the tables already there. That is fine if the winner finished.
            let isMigrated = (try? readWaiting(dbPool) { db in try migrator.hasCompletedMigrations(db) }) ?? false
            if !isMigrated {
                throw CairnError.store("cannot prepare the metadata store at \(path): \(error)")
            }
        }
    }

    /// Refuses a file whose schema is not this build's, without writing to it.
    static func requireCurrentSchema(_ dbPool: DatabasePool, path: String) throws {
        let applied = try readWaiting(dbPool) { db in try migrator.appliedIdentifiers(db) }
        if try isCurrent(applied, path: path) { return }
        guard !applied.isEmpty else {
            throw CairnError.store("the metadata store at \(path) holds no Cairn schema: it is not a Cairn store, or its records were lost")
        }
        let missing = migrator.migrations.filter { !applied.contains($0) }
        throw CairnError.store(
            "the metadata store at \(path) has an older schema (it lacks \(missing.joined(separator: ", "))); "
                + "upgrade it with `cairn init --store \(URL(filePath: path).deletingLastPathComponent().path)`, or by starting a run on it")
    }

    /// Whether `applied` is every migration of this build; a migration this build does not know
    /// (a file written by a newer Cairn) is an error.
    private static func isCurrent(_ applied: Set<String>, path: String) throws -> Bool {
        let unknown = applied.subtracting(migrator.migrations)
        guard unknown.isEmpty else {
            throw CairnError.store(
                "the metadata store at \(path) was written by a newer version of Cairn "
                    + "(schema \(unknown.sorted().joined(separator: ", "))); upgrade Cairn to open it")
        }
        return applied.isSuperset(of: migrator.migrations)
    }
}
