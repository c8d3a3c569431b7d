import CairnCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// Turns a store's configuration into postgres-nio's, and opens the first connection with errors
/// that say what is wrong.
///
/// Every connection has the store's schema as its search path (a startup parameter), so that each
/// statement names its tables without a schema and finds the store's own, and names the process that
/// opened it as its application (``applicationName``), so that the server's `pg_stat_activity` tells
/// whose each connection is.
struct PostgreSQLConnector {
    let configuration: PostgreSQLMetadataStore.Configuration

    init(_ configuration: PostgreSQLMetadataStore.Configuration) {
        self.configuration = configuration
    }

    /// The schema as an SQL identifier, quoted.
    var quotedSchema: String {
        "\"" + configuration.schema.replacing("\"", with: "\"\"") + "\""
    }

    /// A logger that logs nothing: the store reports its problems as errors.
    static let silent = Logger(label: "cairn.postgresql", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The pool's configuration: it keeps one connection open, which it opens as soon as it runs.
    func poolConfiguration() throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch configuration.tls {
            case .disable: .disable
            case .prefer: .prefer(tlsConfiguration)
            case .require: .require(tlsConfiguration)
            }
        var pool = PostgresClient.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.user, password: configuration.password,
            database: configuration.database, tls: tls)
        pool.options.connectTimeout = configuration.connectTimeout
        pool.options.maximumConnections = configuration.maximumConnections
        pool.options.minimumConnections = min(1, configuration.maximumConnections)
        pool.options.additionalStartupParameters = startupParameters
        return pool
    }

    /// TLS for a client that verifies the server's certificate, against the given authorities if any.
    private var tlsConfiguration: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let path = configuration.tlsRootCertificates {
            tls.trustRoots = .file(path)
        }
        return tls
    }

    /// The parameters every connection starts with.
    private var startupParameters: [(String, String)] {
        [("search_path", quotedSchema), ("application_name", Self.applicationName)]
    }

    /// `cairn PID@HOST`: this process, as runs record it, cut to the 63 bytes the server keeps.
    static let applicationName: String = {
        let name = "cairn \(ProcessInfo.processInfo.processIdentifier)@\(ProcessInfo.processInfo.hostName)"
        var cut = Substring(name)
        while cut.utf8.count > 63 { cut = cut.dropLast() }
        return String(cut)
    }()

    /// Opens one connection, outside the pool, to check and migrate the schema.
    ///
    /// - Throws: `CairnError.store(_:)` naming the store and saying what failed: the server cannot
    ///   be reached, the password is wrong, the database does not exist, or TLS is not offered.
    func connect() async throws -> PostgresConnection {
        let tls: PostgresConnection.Configuration.TLS
        do {
            tls =
                switch configuration.tls {
                case .disable: .disable
                case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration))
                case .require: .require(try NIOSSLContext(configuration: tlsConfiguration))
                }
        } catch {
            throw CairnError.store("\(configuration.storeDescription): cannot set up TLS: \(error)")
        }
        var connection = PostgresConnection.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.user, password: configuration.password,
            database: configuration.database, tls: tls)
        let timeout = configuration.connectTimeout.components
        connection.options.connectTimeout = .nanoseconds(timeout.seconds * 1_000_000_000 + timeout.attoseconds / 1_000_000_000)
        connection.options.additionalStartupParameters = startupParameters
        do {
            return try await PostgresConnection.connect(configuration: connection, id: 0, logger: Self.silent)
        } catch let error as PSQLError {
            throw CairnError.store("\(configuration.storeDescription): \(explanation(of: error))")
        } catch {
            throw CairnError.store("\(configuration.storeDescription): cannot connect: \(error)")
        }
    }

    /// What a failed connection says, for people.
    private func explanation(of error: PSQLError) -> String {
        switch error.sqlState {
        case "28P01":
            return "the server refused the password of user '\(configuration.user)'"
        case "28000":
            return "the server refused user '\(configuration.user)': \(error.summary)"
        case "3D000":
            return "the database '\(configuration.database)' does not exist (create it with `createdb \(configuration.database)`)"
        default:
            break
        }
        if let tlsError = error.underlying as? NIOSSLError {
            return "TLS with the server failed (\(tlsError)): is its certificate signed by an authority in tlsRootCertificates, or the system's?"
        }
        switch error.code {
        case .connectionError:
            let reason = error.underlying.map { "\($0)" } ?? "no answer"
            return "cannot reach the server at \(configuration.host):\(configuration.port) (\(reason))"
        case .sslUnsupported:
            return "the server does not offer TLS, which `tls: require` asks for"
        case .authMechanismRequiresPassword:
            return "the server asks for a password for user '\(configuration.user)', and none was given"
        default:
            return "cannot connect: \(error.summary)"
        }
    }
}
