import PostgresNIO

extension PSQLError {
    /// The SQLSTATE of an error the server reported (`23505` for a unique violation).
    var sqlState: String? {
        serverInfo?[.sqlState]
    }

    /// The server's message with its SQLSTATE and detail, or the client's error code: what a
    /// person needs, where `description` deliberately says nothing.
    var summary: String {
        guard let serverInfo else {
            return "\(code)" + (underlying.map { ": \($0)" } ?? "")
        }
        var text = serverInfo[.message] ?? "\(code)"
        if let detail = serverInfo[.detail] { text += " (\(detail))" }
        if let sqlState { text += " [SQLSTATE \(sqlState)]" }
        return text
    }
}
