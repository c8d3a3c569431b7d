public import CairnCore
public import Foundation

extension StackFile {
    /// The keys each flavor of each component takes, besides `flavor`, in the order the file lists them.
    static let metadataStoreKeys = ["sqlite": ["path"], "postgresql": ["host", "port", "database", "user", "password_env", "schema", "tls", "tls_root_certificates"]]
    static let artifactStoreKeys = ["local": ["path"]]
    static let orchestratorKeys = ["in_process": [], "subprocess": ["executable"]]

    /// Reads the stack `name` from its mapping.
    static func stack(named name: String, from node: ConfigurationNode, relativeTo folder: URL) throws -> StackConfiguration {
        var metadata: MetadataStoreConfiguration?
        var artifacts: ArtifactStoreConfiguration?
        var orchestrator = OrchestratorConfiguration.inProcess
        for (key, value) in try node.members() {
            switch key {
            case "metadata_store": metadata = try metadataStore(ComponentNode(value, flavors: metadataStoreKeys), relativeTo: folder)
            case "artifact_store": artifacts = try artifactStore(ComponentNode(value, flavors: artifactStoreKeys), relativeTo: folder)
            case "orchestrator": orchestrator = try self.orchestrator(ComponentNode(value, flavors: orchestratorKeys), relativeTo: folder)
            default: throw value.error(Suggestion.unknown("key", key, in: node.path, known: ["metadata_store", "artifact_store", "orchestrator"]))
            }
        }
        guard let metadata else { throw node.error("stack '\(name)' has no metadata_store") }
        guard let artifacts else { throw node.error("stack '\(name)' has no artifact_store") }
        return StackConfiguration(name: name, metadataStore: metadata, artifactStore: artifacts, orchestrator: orchestrator)
    }

    private static func metadataStore(_ component: ComponentNode, relativeTo folder: URL) throws -> MetadataStoreConfiguration {
        switch component.flavor {
        case "sqlite":
            return .sqlite(path: try component.path("path", relativeTo: folder))
        default:
            let tls = try component.members["tls"].map { try $0.choice(PostgreSQLConnection.TLS.self) } ?? .prefer
            return .postgresql(PostgreSQLConnection(
                host: try component.string("host"), port: try component.members["port"]?.integer(atLeast: 1) ?? 5432,
                database: try component.string("database"), user: try component.string("user"),
                passwordVariable: try component.members["password_env"]?.string(), schema: try component.members["schema"]?.string() ?? "cairn",
                tls: tls, tlsRootCertificates: component.members["tls_root_certificates"] == nil ? nil : try component.path("tls_root_certificates", relativeTo: folder)))
        }
    }

    private static func artifactStore(_ component: ComponentNode, relativeTo folder: URL) throws -> ArtifactStoreConfiguration {
        .local(path: try component.path("path", relativeTo: folder))
    }

    private static func orchestrator(_ component: ComponentNode, relativeTo folder: URL) throws -> OrchestratorConfiguration {
        guard component.flavor == "subprocess" else { return .inProcess }
        return .subprocess(executable: component.members["executable"] == nil ? nil : try component.path("executable", relativeTo: folder))
    }

    // MARK: - Writing

    /// A metadata store's keys and values, in file order.
    public static func fields(of store: MetadataStoreConfiguration) -> [(key: String, value: String)] {
        switch store {
        case .sqlite(let path):
            return [("flavor", "sqlite"), ("path", path)]
        case .postgresql(let connection):
            return [("flavor", "postgresql"), ("host", connection.host), ("port", "\(connection.port)"), ("database", connection.database), ("user", connection.user)]
                + (connection.passwordVariable.map { [("password_env", $0)] } ?? [])
                + [("schema", connection.schema), ("tls", connection.tls.rawValue)]
                + (connection.tlsRootCertificates.map { [("tls_root_certificates", $0)] } ?? [])
        }
    }

    /// An artifact store's keys and values, in file order.
    public static func fields(of store: ArtifactStoreConfiguration) -> [(key: String, value: String)] {
        switch store {
        case .local(let path): [("flavor", "local"), ("path", path)]
        }
    }

    /// An orchestrator's keys and values, in file order.
    public static func fields(of orchestrator: OrchestratorConfiguration) -> [(key: String, value: String)] {
        switch orchestrator {
        case .inProcess: [("flavor", "in_process")]
        case .subprocess(let executable): [("flavor", "subprocess")] + (executable.map { [("executable", $0)] } ?? [])
        }
    }

    /// `path` made absolute: `~` is the home folder, and a relative path is relative to `folder`.
    public static func absolutePath(_ path: String, relativeTo folder: URL) -> String {
        let expanded = NSString(string: path).expandingTildeInPath
        return (expanded.hasPrefix("/") ? URL(filePath: expanded) : folder.appending(path: expanded)).standardizedFileURL.path
    }

    /// `value` as a YAML scalar: a number as it is, anything else double-quoted, as JSON quotes it.
    static func quoted(_ value: String) -> String {
        if Int(value) != nil { return value }
        return (try? CanonicalJSON.string(encoding: value)) ?? "\"\""
    }
}

/// A component's mapping: its flavor, and its other keys, checked against those the flavor takes.
struct ComponentNode {
    let node: ConfigurationNode
    let flavor: String
    /// The keys other than `flavor`.
    let members: [String: ConfigurationNode]

    init(_ node: ConfigurationNode, flavors: [String: [String]]) throws {
        let members = try node.members()
        guard let flavorNode = members.first(where: { $0.key == "flavor" })?.value else {
            throw node.error("\(node.path) has no flavor; expected one of \(flavors.keys.sorted().joined(separator: ", "))")
        }
        let flavor = try flavorNode.string()
        guard let keys = flavors[flavor] else {
            throw flavorNode.error(
                "unknown flavor '\(flavor)' for \(node.path); expected one of \(flavors.keys.sorted().joined(separator: ", "))"
                    + (Suggestion.closest(to: flavor, in: Array(flavors.keys)).map { "; did you mean '\($0)'?" } ?? ""))
        }
        var others: [String: ConfigurationNode] = [:]
        for (key, value) in members where key != "flavor" {
            if key == "password" {
                throw value.error("a password never goes in the stack file: name the environment variable that holds it with password_env")
            }
            guard keys.contains(key) else {
                throw value.error(Suggestion.unknown("key", key, in: "\(node.path) (flavor \(flavor))", known: ["flavor"] + keys))
            }
            others[key] = value
        }
        self.node = node
        self.flavor = flavor
        self.members = others
    }

    /// The text under `key`, which must be there.
    func string(_ key: String) throws -> String {
        guard let value = members[key] else { throw node.error("\(node.path) (flavor \(flavor)) needs \(key)") }
        return try value.string()
    }

    /// The path under `key`, which must be there, made absolute against `folder`.
    func path(_ key: String, relativeTo folder: URL) throws -> String {
        let text = try string(key)
        guard !text.isEmpty else { throw (members[key] ?? node).error("\(node.path).\(key) is empty: expected a path") }
        return StackFile.absolutePath(text, relativeTo: folder)
    }
}
