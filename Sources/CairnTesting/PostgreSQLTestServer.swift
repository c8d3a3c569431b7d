public import CairnCore
public import CairnPostgres
public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A private PostgreSQL server for tests: a cluster of its own in a temporary folder, on a free
/// port of its own, listening on loopback only, with password authentication.
///
/// ```swift
/// @Test(.enabled(if: PostgreSQLTestServer.canRun, Comment(rawValue: PostgreSQLTestServer.missingMessage)))
/// func recordsRuns() async throws {
///     let store = try await PostgreSQLTestServer.shared().makeStore()   // a schema of its own
///     defer { Task { await store.close() } }
///     …
/// }
/// ```
///
/// ``shared()`` starts one server per process on first use and stops it when the process exits;
/// each test then takes a schema (``makeStore(schema:)``) or a database (``createDatabase(_:)``) of
/// its own. The server is started with `initdb` and `pg_ctl` from `/usr/lib/postgresql/*/bin`, as
/// the `postgres` user when this process runs as root, which `initdb` refuses to run as.
///
/// A test server does not sync to disk unless asked (``start(durable:tls:)``): it is fast, and loses
/// its data if the machine stops, which a test's data may.
public final class PostgreSQLTestServer: Sendable {
    /// The address the server listens on.
    public let host = "127.0.0.1"
    /// The server's port.
    public let port: Int
    /// The superuser's name.
    public let user = "postgres"
    /// The superuser's password, made at random.
    public let password: String
    /// The folder that holds the cluster, its log and its socket.
    public let folder: URL
    /// The server's certificate, self-signed for 127.0.0.1, when it offers TLS: the authority to trust.
    public let certificate: URL?
    /// The folder of PostgreSQL's programs.
    private let binaries: URL

    private init(port: Int, password: String, folder: URL, certificate: URL?, binaries: URL) {
        self.port = port
        self.password = password
        self.folder = folder
        self.certificate = certificate
        self.binaries = binaries
    }

    // MARK: - Finding PostgreSQL

    /// The folder of PostgreSQL's programs (`/usr/lib/postgresql/15/bin`), the newest installed; `nil` without them.
    public static let installedBinaries: URL? = {
        let root = URL(filePath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return versions.sorted { $0.compare($1, options: .numeric) == .orderedDescending }
            .map { root.appending(path: "\($0)/bin") }
            .first { FileManager.default.isExecutableFile(atPath: $0.appending(path: "initdb").path) }
    }()

    /// Whether tests that need a server should run: with PostgreSQL installed, and always under CI
    /// (`CI=true`), where a missing server must fail the run rather than skip its tests.
    public static let canRun = installedBinaries != nil || ProcessInfo.processInfo.environment["CI"] == "true"

    /// What a skipped test says: the package to install.
    public static let missingMessage = "needs PostgreSQL's server: apt-get install postgresql"

    /// A server could not be started or used.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, with the program's output.
        public var description: String
    }

    // MARK: - Starting and stopping

    /// The server of this process, started on first use, stopped and removed when the process exits.
    public static func shared() async throws -> PostgreSQLTestServer {
        try await sharedStart.value
    }

    private static let sharedStart = Task {
        let server = try await start()
        sharedServer.withLock { $0 = server }
        atexit { PostgreSQLTestServer.sharedServer.withLock { $0?.stopNow() } }
        return server
    }

    /// The shared server, once started: what the process stops when it exits.
    private static let sharedServer = Locked<PostgreSQLTestServer?>(nil)

    /// Starts a new server; ``stop()`` stops it and removes its folder.
    ///
    /// - Parameters:
    ///   - durable: Whether every commit waits for the disk, as a real server's does (`fsync` and
    ///     `synchronous_commit` on): for benchmarks. Tests leave both off.
    ///   - tls: Whether the server offers TLS, with a certificate made for it (``certificate``).
    /// - Throws: ``Failure`` when PostgreSQL is not installed or the server cannot start.
    public static func start(durable: Bool = false, tls: Bool = false) async throws -> PostgreSQLTestServer {
        guard let binaries = installedBinaries else {
            throw Failure(description: "PostgreSQL's server is not installed: apt-get install postgresql")
        }
        await removeAbandonedServers()
        let folder = FileManager.default.temporaryDirectory.appending(path: "\(folderPrefix)\(RandomIdentifier.make().prefix(13))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "\(getpid())".write(to: folder.appending(path: "owner.pid"), atomically: true, encoding: .utf8)
        let password = RandomIdentifier.make()
        let passwordFile = folder.appending(path: "password")
        try password.write(to: passwordFile, atomically: true, encoding: .utf8)
        if getuid() == 0 {
            // The cluster's files belong to the postgres user, who runs the server.
            for path in [folder.path, passwordFile.path] {
                try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: path)
            }
        }
        let server = PostgreSQLTestServer(port: 0, password: password, folder: folder, certificate: nil, binaries: binaries)
        try await server.runAsOwner(
            "initdb", ["-D", server.dataFolder, "-U", "postgres", "-A", "scram-sha-256", "--pwfile=\(passwordFile.path)", "-E", "UTF8",
                       "--locale=C.UTF-8", "-N"])
        var settings = ["listen_addresses=127.0.0.1", "max_connections=400", "unix_socket_directories=\(folder.path)"]
        if !durable {
            settings += ["fsync=off", "synchronous_commit=off", "full_page_writes=off"]
        }
        let certificate = tls ? folder.appending(path: "server.crt") : nil
        if let certificate {
            let key = folder.appending(path: "server.key")
            let (status, output) = try await SpawnedProcess.run([
                "/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.path, "-out", certificate.path,
            ])
            guard status == 0 else { throw Failure(description: "openssl could not make a certificate: \(output)") }
            // The server reads its key only if no one else can.
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key.path)
            if getuid() == 0 {
                try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: key.path)
            }
            settings += ["ssl=on", "ssl_cert_file=\(certificate.path)", "ssl_key_file=\(key.path)"]
        }
        // A port found free may be taken before the server binds it: then try another.
        var failure: (any Error)?
        for _ in 0..<5 {
            let reserved = try LoopbackPort()
            reserved.close()
            let port = reserved.number
            do {
                try await server.runAsOwner(
                    "pg_ctl", ["-D", server.dataFolder, "-l", folder.appending(path: "log").path, "-w", "-o",
                               (["-p \(port)"] + settings.map { "-c \($0)" }).joined(separator: " "), "start"])
                return PostgreSQLTestServer(port: port, password: password, folder: folder, certificate: certificate, binaries: binaries)
            } catch {
                failure = error
            }
        }
        await server.stop()
        throw failure ?? Failure(description: "the PostgreSQL test server did not start")
    }

    /// Stops the server at once (`pg_ctl -m immediate stop`) and removes its folder.
    public func stop() async {
        await Self.stop(folder: folder, binaries: binaries)
    }

    /// Stops the server in `folder` at once and removes the folder.
    private static func stop(folder: URL, binaries: URL) async {
        _ = try? await SpawnedProcess.run(stopCommand(folder: folder, binaries: binaries))
        try? FileManager.default.removeItem(at: folder)
    }

    /// Stops the server at once and removes its folder, blocking this thread: for the process's exit.
    private func stopNow() {
        _ = try? SpawnedProcess.runOnThisThread(Self.stopCommand(folder: folder, binaries: binaries))
        try? FileManager.default.removeItem(at: folder)
    }

    /// The command that stops the server in `folder` at once.
    private static func stopCommand(folder: URL, binaries: URL) -> [String] {
        asOwner(binaries.appending(path: "pg_ctl").path, ["-D", folder.appending(path: "data").path, "-m", "immediate", "-w", "stop"])
    }

    /// The start of the names of the servers' folders, in the temporary directory.
    private static let folderPrefix = "cairn-postgres-"

    /// Stops and removes the servers of test processes that ended without stopping theirs (killed).
    private static func removeAbandonedServers() async {
        guard let binaries = installedBinaries else { return }
        let temporary = FileManager.default.temporaryDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for name in names where name.hasPrefix(folderPrefix) {
            let folder = temporary.appending(path: name)
            guard let owner = (try? String(contentsOf: folder.appending(path: "owner.pid"), encoding: .utf8)).flatMap({ Int32($0) }),
                ProcessLiveness.of(owner) == .gone
            else { continue }
            await stop(folder: folder, binaries: binaries)
        }
    }

    // MARK: - Using the server

    /// Creates a database.
    public func createDatabase(_ name: String) async throws {
        try await runSQL("CREATE DATABASE \"\(name.replacing("\"", with: "\"\""))\"", database: "postgres")
    }

    /// Runs SQL statements in `database` with `psql`, as the superuser, and returns what they
    /// selected: a line a row, its columns separated by `|`.
    @discardableResult
    public func runSQL(_ sql: String, database: String = "postgres") async throws -> String {
        let (status, output) = try await SpawnedProcess.run(
            [binaries.appending(path: "psql").path, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", "\(port)", "-U", user,
             "-d", database, "-c", sql],
            environment: ["PGPASSWORD": password])
        guard status == 0 else { throw Failure(description: "psql -c \(sql) exited with \(status): \(output)") }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A store configuration for this server: plain TCP on loopback, as the superuser.
    public func configuration(database: String = "postgres", schema: String = "cairn") -> PostgreSQLMetadataStore.Configuration {
        PostgreSQLMetadataStore.Configuration(
            host: host, port: port, database: database, user: user, password: password, schema: schema, tls: .disable)
    }

    /// A stack whose metadata store is `schema` of the `postgres` database on this server, reached as
    /// the superuser over plain TCP, and whose artifacts are in the folder `artifacts`: what a team's
    /// stack file describes. The process that opens it reads ``password`` from `passwordVariable`.
    public func stack(named name: String, schema: String, artifacts: URL, passwordVariable: String) -> StackConfiguration {
        StackConfiguration(
            name: name,
            metadataStore: .postgresql(
                PostgreSQLConnection(
                    host: host, port: port, database: "postgres", user: user, passwordVariable: passwordVariable, schema: schema, tls: .disable)),
            artifactStore: .local(path: artifacts.path))
    }

    /// Opens a store in `schema` of the `postgres` database: by default a new one, `test_` and a random identifier.
    public func makeStore(schema: String? = nil) async throws -> PostgreSQLMetadataStore {
        try await PostgreSQLMetadataStore.open(configuration(schema: schema ?? "test_\(RandomIdentifier.make().replacing("-", with: ""))"))
    }

    // MARK: - Helpers

    private var dataFolder: String {
        folder.appending(path: "data").path
    }

    /// Runs one of PostgreSQL's programs as the owner of the cluster.
    private func runAsOwner(_ program: String, _ arguments: [String]) async throws {
        let (status, output) = try await SpawnedProcess.run(Self.asOwner(binaries.appending(path: program).path, arguments))
        guard status == 0 else { throw Failure(description: "\(program) exited with \(status): \(output)") }
    }

    /// The command that runs `program` as the owner of the cluster: the postgres user when this
    /// process is root, this process's user otherwise.
    private static func asOwner(_ program: String, _ arguments: [String]) -> [String] {
        getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", program] + arguments : [program] + arguments
    }
}
