import ArgumentParser
import Cairn
import Foundation

/// `cairn stack register NAME --metadata URL --artifacts PATH`.
struct StackRegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register", abstract: "Add a stack to the project's stack file.",
        discussion: """
            The metadata store is a PostgreSQL address, postgresql://USER@HOST:PORT/DATABASE?schema=S&tls=require, \
            or an SQLite file (sqlite:PATH, or a plain path). A password never goes in the file: name the \
            environment variable that holds it with --password-env. The file is \(StackFile.fileName) in the \
            current folder or above it, created here if there is none; it is rewritten without its comments.

            Example:
              cairn stack register team --metadata postgresql://cairn@db.example.com/cairn?schema=churn \\
                --password-env CAIRN_DB_PASSWORD --artifacts /shared/cairn/artifacts --orchestrator subprocess
            """)

    @Argument(help: "The stack's name.")
    var name: String

    @Option(help: ArgumentHelp("The metadata store: postgresql://USER@HOST[:PORT]/DATABASE[?schema=S&tls=MODE], or sqlite:PATH.", valueName: "address"))
    var metadata: String

    @Option(help: "The environment variable that holds the PostgreSQL password.")
    var passwordEnv: String?

    @Option(help: ArgumentHelp("The artifact folder, which may be on a file system that several hosts share.", valueName: "path"))
    var artifacts: String

    @Option(help: "What runs steps: in_process or subprocess.")
    var orchestrator: String = "in_process"

    @Flag(help: "Replace a stack of the same name.")
    var replace = false

    func run() async throws {
        let console = Console.current
        let current = URL(filePath: FileManager.default.currentDirectoryPath)
        guard let flavor = ["in_process": OrchestratorConfiguration.inProcess, "subprocess": .subprocess(executable: nil)][orchestrator] else {
            throw CommandError("unknown orchestrator '\(orchestrator)'", hint: "Use in_process or subprocess.")
        }
        let stack = StackConfiguration(
            name: name, metadataStore: try Self.metadataStore(metadata, passwordVariable: passwordEnv, relativeTo: current),
            artifactStore: .local(path: StackFile.absolutePath(artifacts, relativeTo: current)), orchestrator: flavor)
        var file = try KnownStacks.read().editableFile()
        do {
            try file.register(stack, replacing: replace)
        } catch let error as CairnError {
            throw CommandError("\(error)", hint: replace ? nil : "Replace it with --replace, or choose another name.")
        }
        try file.write()
        console.line("Registered stack '\(name)' in \(file.path). Check it with: cairn stack validate \(name)")
    }

    /// The metadata store an address names.
    static func metadataStore(_ address: String, passwordVariable: String?, relativeTo folder: URL) throws -> MetadataStoreConfiguration {
        if address.hasPrefix("postgresql://") || address.hasPrefix("postgres://") {
            guard let url = URLComponents(string: address), let host = url.host, !host.isEmpty, let user = url.user, !user.isEmpty,
                url.path.count > 1
            else {
                throw CommandError("cannot read the PostgreSQL address '\(address)'", hint: "Write it as postgresql://USER@HOST[:PORT]/DATABASE")
            }
            guard url.password == nil else {
                throw CommandError("a password never goes in a stack", hint: "Put it in an environment variable and name it with --password-env.")
            }
            let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
            if let unknown = query.keys.first(where: { !["schema", "tls"].contains($0) }) {
                throw CommandError("unknown setting '\(unknown)' in the PostgreSQL address", hint: "Known settings: schema, tls.")
            }
            let tls = try query["tls"].map { text in
                guard let tls = PostgreSQLConnection.TLS(rawValue: text) else {
                    throw CommandError("unknown tls mode '\(text)'", hint: "Use disable, prefer or require.")
                }
                return tls
            }
            return .postgresql(PostgreSQLConnection(
                host: host, port: url.port ?? 5432, database: String(url.path.dropFirst()), user: user, passwordVariable: passwordVariable,
                schema: query["schema"] ?? "cairn", tls: tls ?? .prefer))
        }
        if passwordVariable != nil { throw CommandError("--password-env is for a PostgreSQL store") }
        let path = address.hasPrefix("sqlite:") ? String(address.dropFirst("sqlite:".count)) : address
        return .sqlite(path: StackFile.absolutePath(path, relativeTo: folder))
    }
}

/// `cairn stack set NAME`.
struct StackSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Choose the stack that commands and runs use when none is named.",
        discussion: "The choice is kept in the local stack's folder (.cairn), which a project does not commit; --stack and $CAIRN_STACK win over it.")

    @Argument(help: "The stack.")
    var name: String

    func run() async throws {
        let stack = try KnownStacks.read().stack(named: name)
        let file = try StackSelection.activeStackFile()
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data((stack.name + "\n").utf8).write(to: file, options: .atomic)
        Console.current.line("Commands and runs here now use stack '\(stack.name)'.")
    }
}

/// `cairn stack delete NAME`.
struct StackDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Remove a stack from the project's stack file; its stores and their contents stay.")

    @Argument(help: "The stack.")
    var name: String

    func run() async throws {
        let known = try KnownStacks.read()
        guard name != StackConfiguration.localName else { throw CommandError("the stack 'local' is built in and cannot be deleted") }
        guard var file = known.file else { _ = try known.stack(named: name); return }
        do {
            try file.remove(named: name)
        } catch let error as CairnError {
            throw CommandError("\(error)")
        }
        try file.write()
        if StackSelection.activeStack() == name, let active = try? StackSelection.activeStackFile() { try? FileManager.default.removeItem(at: active) }
        Console.current.line("Deleted stack '\(name)' from \(file.path); its stores were not touched.")
    }
}
