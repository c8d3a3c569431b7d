public import CairnCore
import Logging
import PostgresNIO

/// A metadata store in a PostgreSQL database, shared by every host of a team.
///
/// It records exactly what `SQLiteMetadataStore` records, with the same rules: run names stay
/// unique and artifact version numbers distinct and increasing per name, however many processes on
/// however many hosts write at once. Every write that records a step is one SQL statement, so one
/// round trip and one commit; nothing blocks a thread while the server answers.
///
/// ```swift
/// var configuration = PostgreSQLMetadataStore.Configuration(host: "db.internal", database: "cairn", user: "cairn")
/// configuration.password = ProcessInfo.processInfo.environment["CAIRN_DB_PASSWORD"]
/// let store = try await PostgreSQLMetadataStore.open(configuration)
/// try await training.run(on: Stack(metadata: store, artifacts: artifacts, orchestrator: InProcessOrchestrator()))
/// await store.close()
/// ```
///
/// Its tables live in ``Configuration/schema``, created on first use, so that several projects can
/// share one database. The schema is versioned by migrations; one written by a newer Cairn is refused,
/// and a store opened only to be read (`open(_:migrating: false)`) is never created or migrated.
///
/// ## Topics
///
/// ### Opening and closing
/// - ``open(_:migrating:)``
/// - ``Configuration``
/// - ``close()``
///
/// ### Checking the schema
/// - ``schemaVersion()``
/// - ``latestSchemaVersion``
public final class PostgreSQLMetadataStore: MetadataStore {
    /// Where the store is.
    public let configuration: PostgreSQLMetadataStore.Configuration

    /// The connection pool, whose connections all have the store's schema as their search path.
    let client: PostgresClient

    /// The task running the pool (`PostgresClient.run()`); cancelling it closes the pool.
    private let poolTask: Task<Void, Never>

    private init(configuration: PostgreSQLMetadataStore.Configuration, client: PostgresClient) {
        self.configuration = configuration
        self.client = client
        poolTask = Task { await client.run() }
    }

    /// Connects to the database, checks the store's schema, and opens a pool of connections.
    ///
    /// - Parameters:
    ///   - configuration: Where the store is.
    ///   - migrating: Whether to create the schema and its tables, or bring them up to date: for what
    ///     records runs. Without it the store is only read as it is, for what only reads or carries on
    ///     a recorded run: a schema that is missing or older than this build's is refused, and
    ///     nothing is written.
    /// - Throws: `CairnError.store(_:)` naming the store and the problem: the server cannot be
    ///   reached, the password is wrong, the database does not exist, TLS is required and not
    ///   offered, the schema was written by a newer Cairn, or (without `migrating`) the schema is
    ///   missing or older. Nothing is written then.
    public static func open(_ configuration: PostgreSQLMetadataStore.Configuration, migrating: Bool = true) async throws -> PostgreSQLMetadataStore {
        let connector = PostgreSQLConnector(configuration)
        let connection = try await connector.connect()
        // The pool opens its first connection while the schema is checked on this one, rather than
        // after: a short command such as `cairn runs list` waits for one server backend to start, not two.
        let store: PostgreSQLMetadataStore
        do {
            store = PostgreSQLMetadataStore(configuration: configuration, client: PostgresClient(configuration: try connector.poolConfiguration()))
        } catch {
            try? await connection.close()
            throw error
        }
        do {
            if migrating {
                try await migrate(on: connection, configuration: configuration)
            } else {
                try await requireCurrentSchema(on: connection, configuration: configuration)
            }
        } catch {
            try? await connection.close()
            await store.close()
            throw error
        }
        try? await connection.close()
        return store
    }

    /// Closes the pool's connections, once the statements running on them have ended.
    public func close() async {
        poolTask.cancel()
        await poolTask.value
    }

    /// A store no one holds any more closes its pool.
    deinit {
        poolTask.cancel()
    }

    /// The rows of one statement, which is a transaction of its own.
    ///
    /// - Throws: `CairnError.store(_:)` naming the store and the server's error.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        do {
            return try await rawRows(query)
        } catch let error as PSQLError {
            throw storeError(error)
        }
    }

    /// The rows of one statement, which is a transaction of its own; the server's errors as they are,
    /// for callers that act on their SQLSTATE.
    func rawRows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await client.query(query).collect().map(PostgresRandomAccessRow.init)
    }

    /// Runs `body` in a transaction on one connection of the pool, committed when it returns and
    /// rolled back when it throws; the server's errors become `CairnError.store(_:)`.
    func transaction<T: Sendable>(_ body: @Sendable (PostgreSQLTransaction) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in
                try await PostgreSQLTransaction.run(on: connection, body)
            }
        } catch let error as PSQLError {
            throw storeError(error)
        }
    }

    /// Runs `body`, one statement that is a transaction of its own, again when the server aborted
    /// it for a deadlock or a serialization failure, which leave nothing written; other errors are
    /// thrown as they are.
    func retryingConflicts<T>(_ body: () async throws -> T) async throws -> T {
        var attempts = 1
        while true {
            do {
                return try await body()
            } catch let error as PSQLError where ["40P01", "40001"].contains(error.sqlState) && attempts < 20 {
                attempts += 1
            }
        }
    }

    /// A server error as a `CairnError.store(_:)` that names the store.
    func storeError(_ error: PSQLError) -> CairnError {
        CairnError.store("\(configuration.storeDescription): \(error.summary)")
    }
}
