import PostgresNIO

/// A transaction on one connection: the statements a store runs in it, in order.
///
/// Made only by ``run(on:_:)``, which begins it, and commits it when the body returns or rolls it
/// back when the body throws, so that no transaction outlives its scope.
struct PostgreSQLTransaction: Sendable {
    private let connection: PostgresConnection

    /// Runs `body` in a transaction on `connection`.
    static func run<T: Sendable>(on connection: PostgresConnection, _ body: @Sendable (PostgreSQLTransaction) async throws -> T) async throws -> T {
        let transaction = PostgreSQLTransaction(connection: connection)
        try await transaction.execute("BEGIN")
        let result: T
        do {
            result = try await body(transaction)
        } catch {
            try? await transaction.execute("ROLLBACK")
            throw error
        }
        try await transaction.execute("COMMIT")
        return result
    }

    /// The rows of a statement.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await connection.query(query, logger: PostgreSQLConnector.silent).collect().map(PostgresRandomAccessRow.init)
    }

    /// Runs a statement, ignoring any rows.
    func execute(_ query: PostgresQuery) async throws {
        _ = try await rows(query)
    }

    /// The rows of a prepared statement.
    func execute<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        var rows: [Statement.Row] = []
        for try await row in try await connection.execute(statement, logger: PostgreSQLConnector.silent) { rows.append(row) }
        return rows
    }
}
