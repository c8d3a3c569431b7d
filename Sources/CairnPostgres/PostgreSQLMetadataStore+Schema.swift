import CairnCore
import PostgresNIO

extension PostgreSQLMetadataStore {
    /// The schema's migrations, oldest first: an identifier and its statements.
    ///
    /// A registered migration is never edited once released: a schema change is a new migration.
    /// The tables are `SQLiteMetadataStore`'s, in PostgreSQL's words: dates are `timestamptz`,
    /// JSON columns hold canonical JSON as text (kept byte for byte), names compare byte by byte
    /// (`COLLATE "C"`) as in SQLite, and `seq` columns keep the order rows were created in, where
    /// SQLite has its rowid. `artifact_counter` holds the highest version number of each artifact
    /// name: the row a writer locks to number a new version.
    static let migrations: [(identifier: String, statements: [String])] = [
        (
            "v1",
            [
                """
                CREATE TABLE pipeline (name text COLLATE "C" PRIMARY KEY, created_at timestamptz NOT NULL)
                """,
                """
                CREATE TABLE run (
                    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                    id text PRIMARY KEY,
                    name text COLLATE "C" NOT NULL UNIQUE,
                    pipeline_name text COLLATE "C" NOT NULL REFERENCES pipeline,
                    status text NOT NULL,
                    started_at timestamptz NOT NULL,
                    ended_at timestamptz,
                    configuration text NOT NULL,
                    error text,
                    outputs text NOT NULL,
                    host text NOT NULL,
                    process_id integer NOT NULL,
                    process_start text,
                    heartbeat_at timestamptz)
                """,
                // Runs are listed newest first, created last first among those that started together.
                "CREATE INDEX run_on_started_at ON run (started_at, seq)",
                "CREATE INDEX run_on_pipeline_name_started_at ON run (pipeline_name, started_at, seq)",
                "CREATE INDEX run_on_status_started_at ON run (status, started_at, seq)",
                """
                CREATE TABLE run_node (
                    run_id text NOT NULL REFERENCES run ON DELETE CASCADE,
                    position integer NOT NULL,
                    node text NOT NULL,
                    PRIMARY KEY (run_id, position))
                """,
                """
                CREATE TABLE step_run (
                    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                    id text PRIMARY KEY,
                    run_id text NOT NULL REFERENCES run ON DELETE CASCADE,
                    invocation text NOT NULL,
                    step_name text NOT NULL,
                    status text NOT NULL,
                    queued_at timestamptz,
                    started_at timestamptz NOT NULL,
                    ended_at timestamptz,
                    parameters text NOT NULL,
                    fingerprint text NOT NULL,
                    error text,
                    cached_from text REFERENCES step_run ON DELETE SET NULL,
                    attempt integer NOT NULL,
                    cache_key text,
                    cache_ingredients text,
                    log_digest text)
                """,
                "CREATE INDEX step_run_on_run_id_started_at ON step_run (run_id, started_at, seq)",
                "CREATE INDEX step_run_on_cached_from ON step_run (cached_from)",
                // Cache lookups: the newest completed step runs with a key.
                "CREATE INDEX step_run_on_cache_key ON step_run (cache_key, status, ended_at)",
                """
                CREATE TABLE artifact_version (
                    id text PRIMARY KEY,
                    name text COLLATE "C" NOT NULL,
                    version integer NOT NULL,
                    digest text NOT NULL,
                    type_name text NOT NULL,
                    serializer text NOT NULL,
                    serializer_version integer NOT NULL,
                    size bigint NOT NULL,
                    created_at timestamptz NOT NULL,
                    producer_step_run_id text REFERENCES step_run ON DELETE SET NULL,
                    output_name text,
                    UNIQUE (name, version))
                """,
                "CREATE INDEX artifact_version_on_digest ON artifact_version (digest)",
                "CREATE INDEX artifact_version_on_producer_step_run_id ON artifact_version (producer_step_run_id)",
                """
                CREATE TABLE artifact_counter (name text COLLATE "C" PRIMARY KEY, latest integer NOT NULL)
                """,
                // Lineage: each link table has its primary key for one direction (a step run's inputs,
                // outputs, parents) and an index for the other (consumers, children).
                """
                CREATE TABLE step_run_input (
                    step_run_id text NOT NULL REFERENCES step_run ON DELETE CASCADE,
                    name text COLLATE "C" NOT NULL,
                    position integer NOT NULL,
                    artifact_version_id text NOT NULL REFERENCES artifact_version,
                    PRIMARY KEY (step_run_id, name, position))
                """,
                "CREATE INDEX step_run_input_on_artifact_version_id ON step_run_input (artifact_version_id)",
                """
                CREATE TABLE step_run_output (
                    step_run_id text NOT NULL REFERENCES step_run ON DELETE CASCADE,
                    name text COLLATE "C" NOT NULL,
                    artifact_version_id text NOT NULL REFERENCES artifact_version,
                    PRIMARY KEY (step_run_id, name))
                """,
                "CREATE INDEX step_run_output_on_artifact_version_id ON step_run_output (artifact_version_id)",
                """
                CREATE TABLE step_run_parent (
                    step_run_id text NOT NULL REFERENCES step_run ON DELETE CASCADE,
                    parent_step_run_id text NOT NULL REFERENCES step_run ON DELETE CASCADE,
                    position integer NOT NULL,
                    PRIMARY KEY (step_run_id, parent_step_run_id))
                """,
                "CREATE INDEX step_run_parent_on_parent_step_run_id ON step_run_parent (parent_step_run_id)",
                """
                CREATE TABLE metadata (
                    entity_type text NOT NULL,
                    entity_id text NOT NULL,
                    key text COLLATE "C" NOT NULL,
                    value text NOT NULL,
                    PRIMARY KEY (entity_type, entity_id, key))
                """,
                """
                CREATE TABLE visualization (
                    artifact_version_id text NOT NULL REFERENCES artifact_version ON DELETE CASCADE,
                    kind text COLLATE "C" NOT NULL,
                    digest text NOT NULL,
                    PRIMARY KEY (artifact_version_id, kind))
                """,
            ]
        ),
        (
            // Why a version's bytes cannot be used, once a load or a verification found them missing or changed.
            "v2-unusable-artifacts",
            ["ALTER TABLE artifact_version ADD COLUMN unusable_reason text"]
        ),
        (
            // Secrets, one row each, their values sealed above the store (see `EncryptedSecret`).
            "v3-secrets",
            [
                """
                CREATE TABLE secret (
                    name text COLLATE "C" PRIMARY KEY,
                    version integer NOT NULL,
                    keys text NOT NULL,
                    master_key_id text NOT NULL,
                    wrapped_key bytea NOT NULL,
                    ciphertext bytea NOT NULL,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL)
                """
            ]
        ),
        (
            // Schedules, and the occurrences schedulers claimed: the key (schedule_id, fire_time) is the
            // claim, so that of the schedulers that try, one gets it. An occurrence's run is no
            // foreign key: a run deleted later must not make its occurrence look unstarted.
            "v4-schedules",
            [
                """
                CREATE TABLE schedule (
                    id text PRIMARY KEY,
                    name text COLLATE "C" NOT NULL UNIQUE,
                    pipeline_name text COLLATE "C" NOT NULL,
                    kind text NOT NULL,
                    cron text,
                    time_zone text,
                    interval_seconds double precision,
                    starts_at timestamptz,
                    ends_at timestamptz,
                    catch_up boolean NOT NULL,
                    parameters text NOT NULL,
                    configuration text,
                    is_active boolean NOT NULL,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL)
                """,
                """
                CREATE TABLE schedule_occurrence (
                    schedule_id text NOT NULL REFERENCES schedule ON DELETE CASCADE,
                    fire_time timestamptz NOT NULL,
                    claimant_host text NOT NULL,
                    claimant_process_id integer NOT NULL,
                    claimed_at timestamptz NOT NULL,
                    run_id text,
                    PRIMARY KEY (schedule_id, fire_time))
                """,
            ]
        ),
    ]

    /// The table that lists the applied migrations, in the store's schema.
    static let migrationTable = "cairn_schema_migration"

    /// The identifier of the newest migration this build knows: the schema version of a current store.
    public static var latestSchemaVersion: String {
        migrations.last?.identifier ?? ""
    }

    /// The schema version of the store: the identifier of the last applied migration (`v1`).
    public func schemaVersion() async throws -> String {
        let rows = try await rows("SELECT identifier FROM cairn_schema_migration ORDER BY applied_at DESC, identifier DESC LIMIT 1")
        guard let row = rows.first else {
            throw CairnError.store("\(configuration.storeDescription) has no schema")
        }
        return try row["identifier"].decode(String.self)
    }

    /// The size of the tables of the store's schema, with their indexes and out-of-line values.
    public func storedBytes() async throws -> Int64 {
        let rows = try await rows(
            """
            SELECT COALESCE(SUM(pg_total_relation_size(class.oid)), 0)::bigint AS bytes FROM pg_class AS class
            JOIN pg_namespace AS namespace ON namespace.oid = class.relnamespace
            WHERE namespace.nspname = current_schema() AND class.relkind = 'r'
            """)
        return try rows.first?["bytes"].decode(Int64.self) ?? 0
    }

    /// Refuses a schema written by a newer Cairn, then applies the migrations it lacks.
    ///
    /// A schema that is current is only read. Otherwise the migrations
    /// run in one transaction, under an advisory lock on the schema's name, so that two processes
    /// opening a new store at once migrate it once; nothing is written if any of them fails.
    static func migrate(on connection: PostgresConnection, configuration: PostgreSQLMetadataStore.Configuration) async throws {
        let quotedSchema = PostgreSQLConnector(configuration).quotedSchema
        do {
            try await PostgreSQLTransaction.run(on: connection) { transaction in
                let applied = try await appliedMigrations(in: transaction, configuration: configuration)
                try refuseNewer(applied, configuration: configuration)
                guard applied.count < migrations.count else { return }
                try await transaction.execute("SELECT pg_advisory_xact_lock(hashtext(\("cairn-migrate " + configuration.schema)))")
                try await transaction.execute(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(quotedSchema)"))
                // The connection's search path named the schema before it existed; name it again.
                try await transaction.execute(PostgresQuery(unsafeSQL: "SET LOCAL search_path TO \(quotedSchema)"))
                try await transaction.execute(
                    PostgresQuery(
                        unsafeSQL: """
                            CREATE TABLE IF NOT EXISTS \(quotedSchema).\(migrationTable) (
                                identifier text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())
                            """))
                // Read again under the lock: another process may have migrated meanwhile.
                let current = try await appliedMigrations(in: transaction, configuration: configuration)
                try refuseNewer(current, configuration: configuration)
                for migration in migrations where !current.contains(migration.identifier) {
                    for statement in migration.statements {
                        try await transaction.execute(PostgresQuery(unsafeSQL: statement))
                    }
                    try await transaction.execute("INSERT INTO cairn_schema_migration (identifier) VALUES (\(migration.identifier))")
                }
            }
        } catch let error as PSQLError {
            throw CairnError.store("cannot prepare \(configuration.storeDescription): \(error.summary)")
        }
    }

    /// Refuses a schema that is missing, older than this build's, or written by a newer Cairn, and
    /// writes nothing: how a store opened without migrating checks its schema.
    static func requireCurrentSchema(on connection: PostgresConnection, configuration: PostgreSQLMetadataStore.Configuration) async throws {
        let applied: Set<String>
        do {
            applied = try await PostgreSQLTransaction.run(on: connection) { transaction in
                try await appliedMigrations(in: transaction, configuration: configuration)
            }
        } catch let error as PSQLError {
            throw CairnError.store("cannot read the schema of \(configuration.storeDescription): \(error.summary)")
        }
        try refuseNewer(applied, configuration: configuration)
        guard !applied.isEmpty else {
            throw CairnError.store("\(configuration.storeDescription) holds no Cairn schema yet; the first run recorded in it creates it")
        }
        let missing = migrations.map(\.identifier).filter { !applied.contains($0) }
        guard missing.isEmpty else {
            throw CairnError.store(
                "\(configuration.storeDescription) has an older schema (it lacks \(missing.joined(separator: ", "))); "
                    + "the next run recorded in it upgrades it")
        }
    }

    /// The identifiers of the migrations applied to the store's schema; none when it has no migration table.
    private static func appliedMigrations(
        in transaction: PostgreSQLTransaction, configuration: PostgreSQLMetadataStore.Configuration
    ) async throws -> Set<String> {
        let table = "\(PostgreSQLConnector(configuration).quotedSchema).\(migrationTable)"
        let exists = try await transaction.rows("SELECT to_regclass(\(table)) IS NOT NULL AS present")
        guard try exists.first?["present"].decode(Bool.self) == true else { return [] }
        return Set(try await transaction.rows(PostgresQuery(unsafeSQL: "SELECT identifier FROM \(table)")).map { try $0["identifier"].decode(String.self) })
    }

    /// Refuses a schema with migrations this build does not know: one written by a newer Cairn.
    private static func refuseNewer(_ applied: Set<String>, configuration: PostgreSQLMetadataStore.Configuration) throws {
        let unknown = applied.subtracting(migrations.map(\.identifier))
        guard unknown.isEmpty else {
            throw CairnError.store(
                "\(configuration.storeDescription) was written by a newer version of Cairn "
                    + "(schema \(unknown.sorted().joined(separator: ", "))); upgrade Cairn to open it")
        }
    }
}
