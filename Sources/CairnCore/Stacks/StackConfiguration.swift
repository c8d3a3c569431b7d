public import Foundation

/// A stack described: its name and what each of its components is, as a stack file holds it and as
/// a step process receives it.
///
/// A description holds no secret: a PostgreSQL password is named by the environment variable that
/// holds it (``PostgreSQLConnection/passwordVariable``), so that a description can be written to a
/// file that a team commits, and passed to a process on another host, which reads the password from
/// its own environment.
///
/// `Stack.open(_:)` (module `Cairn`) makes the components a description names.
public struct StackConfiguration: Codable, Sendable, Equatable {
    /// The stack's name; `local` is the built-in stack.
    public var name: String
    /// Where runs, step runs and artifact versions are recorded.
    public var metadataStore: MetadataStoreConfiguration
    /// Where artifact bytes are kept.
    public var artifactStore: ArtifactStoreConfiguration
    /// What runs each step.
    public var orchestrator: OrchestratorConfiguration

    /// Describes a stack.
    public init(
        name: String, metadataStore: MetadataStoreConfiguration, artifactStore: ArtifactStoreConfiguration,
        orchestrator: OrchestratorConfiguration = .inProcess
    ) {
        self.name = name
        self.metadataStore = metadataStore
        self.artifactStore = artifactStore
        self.orchestrator = orchestrator
    }

    /// The name of the built-in stack.
    public static let localName = "local"

    /// The local stack in `home`: an SQLite file (`home/metadata.sqlite`) and an artifact folder
    /// (`home/artifacts`), with steps run in process.
    public static func local(home: URL, orchestrator: OrchestratorConfiguration = .inProcess) -> StackConfiguration {
        StackConfiguration(
            name: localName, metadataStore: .sqlite(path: home.appending(path: "metadata.sqlite").path),
            artifactStore: .local(path: home.appending(path: "artifacts").path), orchestrator: orchestrator)
    }
}

/// What a stack's metadata store is.
public enum MetadataStoreConfiguration: Codable, Sendable, Equatable {
    /// An SQLite file at `path`: the embedded store, for one machine.
    case sqlite(path: String)
    /// A PostgreSQL database: a store that a team and a cluster share.
    case postgresql(PostgreSQLConnection)

    /// The flavor's name, as a stack file spells it.
    public var flavor: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgresql: "postgresql"
        }
    }

    /// Where the store is, for messages; never a password.
    public var location: String {
        switch self {
        case .sqlite(let path): path
        case .postgresql(let connection): connection.location
        }
    }

    /// Its flavor and where it is: `sqlite /data/metadata.sqlite`.
    public var summary: String { "\(flavor) \(location)" }
}

/// How to reach a PostgreSQL database.
public struct PostgreSQLConnection: Codable, Sendable, Equatable {
    /// How a connection uses TLS.
    public enum TLS: String, Codable, Sendable, CaseIterable {
        /// Never.
        case disable
        /// When the server offers it.
        case prefer
        /// Always: a server without TLS, or whose certificate does not verify, is refused.
        case require
    }

    /// The server's host name or address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// The database.
    public var database: String
    /// The user to connect as.
    public var user: String
    /// The environment variable that holds the user's password; `nil` when the server needs none.
    public var passwordVariable: String?
    /// The schema that holds Cairn's tables, so that several projects can share one database.
    public var schema: String
    /// Whether connections use TLS.
    public var tls: TLS
    /// A PEM file of the certificate authorities that vouch for the server's certificate, when a
    /// private authority signed it; `nil` trusts the system's.
    public var tlsRootCertificates: String?

    /// Describes a connection.
    public init(
        host: String, port: Int = 5432, database: String, user: String, passwordVariable: String? = nil, schema: String = "cairn",
        tls: TLS = .prefer, tlsRootCertificates: String? = nil
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.passwordVariable = passwordVariable
        self.schema = schema
        self.tls = tls
        self.tlsRootCertificates = tlsRootCertificates
    }

    /// `user@host:port/database (schema s)`, for messages.
    public var location: String {
        "\(user)@\(host):\(port)/\(database) (schema \(schema))"
    }

    /// The password, read from ``passwordVariable`` in `environment`.
    ///
    /// - Throws: ``CairnError/store(_:)`` when the variable is named but not set.
    public func password(in environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        guard let passwordVariable else { return nil }
        guard let password = environment[passwordVariable] else {
            throw CairnError.store("the password of \(location) is read from $\(passwordVariable), which is not set")
        }
        return password
    }
}

/// What a stack's artifact store is.
public enum ArtifactStoreConfiguration: Codable, Sendable, Equatable {
    /// A folder, which may sit on a file system that several hosts share.
    case local(path: String)

    /// The flavor's name, as a stack file spells it.
    public var flavor: String {
        switch self {
        case .local: "local"
        }
    }

    /// Where the store is, for messages.
    public var location: String {
        switch self {
        case .local(let path): path
        }
    }

    /// Its flavor and where it is: `local /shared/artifacts`.
    public var summary: String { "\(flavor) \(location)" }
}

/// What runs a stack's steps.
public enum OrchestratorConfiguration: Codable, Sendable, Equatable {
    /// Steps run as tasks of the process that runs the pipeline.
    case inProcess
    /// Each step runs in a process of its own, started from `executable`, or from the pipeline's
    /// executable when `nil`.
    case subprocess(executable: String?)

    /// The flavor's name, as a stack file spells it.
    public var flavor: String {
        switch self {
        case .inProcess: "in_process"
        case .subprocess: "subprocess"
        }
    }
}
