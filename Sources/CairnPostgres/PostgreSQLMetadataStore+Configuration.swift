public import CairnCore

extension PostgreSQLMetadataStore {
    /// Where a PostgreSQL metadata store is and how to reach it.
    ///
    /// ```swift
    /// var configuration = PostgreSQLMetadataStore.Configuration(host: "db.internal", database: "cairn", user: "cairn")
    /// configuration.password = ProcessInfo.processInfo.environment["CAIRN_DB_PASSWORD"]
    /// configuration.schema = "vision_team"
    /// configuration.tls = .require
    /// let store = try await PostgreSQLMetadataStore.open(configuration)
    /// ```
    public struct Configuration: Sendable, Equatable {
        /// Whether to talk to the server over TLS: `disable`, `prefer` (when the server offers it, with
        /// its certificate verified) or `require`. The same choice a stack file makes.
        public typealias TLS = PostgreSQLConnection.TLS

        /// The server's host name or address.
        public var host: String
        /// The server's TCP port.
        public var port: Int
        /// The database to use; it must exist.
        public var database: String
        /// The user to log in as.
        public var user: String
        /// The user's password, if the server asks for one. Never read from a file of Cairn's: the
        /// stack layer takes it from an environment variable the stack names.
        public var password: String?
        /// The schema that holds Cairn's tables, created on first use: several projects can share one
        /// database, each in a schema of its own.
        public var schema: String
        /// Whether to use TLS.
        public var tls: TLS
        /// A PEM file of the certificate authorities that vouch for the server's certificate, in place
        /// of the system's: for a server whose certificate a private authority signed.
        public var tlsRootCertificates: String?
        /// How long to wait for the server to accept a connection.
        public var connectTimeout: Duration
        /// At most this many connections open at once from this process.
        public var maximumConnections: Int

        /// Makes a configuration; by default the server on this host's standard port, schema `cairn`,
        /// TLS when the server offers it.
        public init(
            host: String = "127.0.0.1", port: Int = 5432, database: String, user: String, password: String? = nil, schema: String = "cairn",
            tls: TLS = .prefer, tlsRootCertificates: String? = nil, connectTimeout: Duration = .seconds(10), maximumConnections: Int = 20
        ) {
            self.host = host
            self.port = port
            self.database = database
            self.user = user
            self.password = password
            self.schema = schema
            self.tls = tls
            self.tlsRootCertificates = tlsRootCertificates
            self.connectTimeout = connectTimeout
            self.maximumConnections = maximumConnections
        }

        /// How errors and descriptions name the store: server, database and schema, never the password.
        public var storeDescription: String {
            "the PostgreSQL metadata store postgresql://\(user)@\(host):\(port)/\(database) (schema \(schema))"
        }
    }
}
