public import CairnCore
public import Foundation

/// The stacks of a project, kept in a YAML file that a team commits with its code.
///
/// ```yaml
/// stacks:
///   team:
///     metadata_store:
///       flavor: postgresql          # or sqlite, with a path
///       host: db.example.com
///       port: 5432
///       database: cairn
///       user: cairn
///       password_env: CAIRN_DB_PASSWORD   # the variable that holds the password
///       schema: churn_project
///       tls: require                # disable | prefer | require
///     artifact_store:
///       flavor: local
///       path: /shared/cairn/artifacts
///     orchestrator:
///       flavor: subprocess          # or in_process
/// ```
///
/// The file is `cairn-stacks.yaml`, found in the current folder or the nearest folder above it, or
/// wherever `$CAIRN_STACKS_FILE` says. A relative path in it is relative to the file's folder. A
/// password never goes in the file: `password_env` names the environment variable that holds it. The
/// built-in stack `local` is not in the file. Errors name the file, line and column, as a run
/// configuration's do.
public struct StackFile: Sendable {
    /// The file's name.
    public static let fileName = "cairn-stacks.yaml"
    /// The environment variable that names the file, in place of the search.
    public static let environmentVariable = "CAIRN_STACKS_FILE"

    /// The file's path.
    public let path: String
    /// The stacks, in file order.
    public private(set) var stacks: [StackConfiguration]

    /// An empty file at `path`, not yet written.
    public init(emptyAt path: String) {
        self.path = path
        self.stacks = []
    }

    /// Reads and checks the file at `path`.
    public init(contentsOf path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CairnError.invalidConfiguration(
                key: "", reason: "cannot read the stack file: \(error.localizedDescription)", location: SourceLocation(file: path, line: 1, column: 1))
        }
        try self.init(yaml: text, path: path)
    }

    /// Reads and checks stack-file text; `path` is the name errors give it, and relative paths are
    /// relative to its folder.
    public init(yaml: String, path: String) throws {
        let root = try ConfigurationNode.root(of: yaml, file: path)
        let folder = URL(filePath: path).deletingLastPathComponent()
        var stacks: [StackConfiguration] = []
        for (key, value) in try root.members() {
            guard key == "stacks" else { throw value.error(Suggestion.unknown("key", key, in: "the stack file", known: ["stacks"])) }
            for (name, stack) in try value.members() {
                do {
                    try Names.validate(name, kind: "stack")
                } catch {
                    throw stack.error("\(error)")
                }
                guard name != StackConfiguration.localName else {
                    throw stack.error("the stack 'local' is built in: give this stack another name")
                }
                stacks.append(try Self.stack(named: name, from: stack, relativeTo: folder))
            }
        }
        self.path = path
        self.stacks = stacks
    }

    /// The file that `$CAIRN_STACKS_FILE` names, or `cairn-stacks.yaml` in `folder` or the nearest
    /// folder above it; `nil` when there is none.
    public static func find(
        from folder: URL = URL(filePath: FileManager.default.currentDirectoryPath),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        if let named = environment[environmentVariable], !named.isEmpty { return named }
        var folder = folder.standardizedFileURL
        while true {
            let candidate = folder.appending(path: fileName).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// The stack named `name`.
    public func stack(named name: String) -> StackConfiguration? {
        stacks.first { $0.name == name }
    }

    /// Adds `stack`, or replaces the stack of the same name when `replacing`.
    public mutating func register(_ stack: StackConfiguration, replacing: Bool = false) throws {
        try Names.validate(stack.name, kind: "stack")
        guard stack.name != StackConfiguration.localName else {
            throw CairnError.invalidName(kind: "stack", name: stack.name, reason: "the stack 'local' is built in")
        }
        if let index = stacks.firstIndex(where: { $0.name == stack.name }) {
            guard replacing else {
                throw CairnError.invalidName(kind: "stack", name: stack.name, reason: "a stack of that name is in \(path) already")
            }
            stacks[index] = stack
        } else {
            stacks.append(stack)
        }
    }

    /// Removes the stack named `name`.
    public mutating func remove(named name: String) throws {
        guard let index = stacks.firstIndex(where: { $0.name == name }) else {
            throw CairnError.notFound(kind: "stack in \(path)", name: name, suggestion: Suggestion.closest(to: name, in: stacks.map(\.name)))
        }
        stacks.remove(at: index)
    }

    /// Writes the file, atomically. Comments in the file are not kept.
    public func write() throws {
        try Data(yaml().utf8).write(to: URL(filePath: path), options: .atomic)
    }

    /// The file's text.
    public func yaml() -> String {
        var lines = ["# Cairn's stacks: `cairn stack list` shows them, `cairn stack validate NAME` checks one.", "stacks:"]
        for stack in stacks {
            lines.append("  \(stack.name):")
            lines.append("    metadata_store:")
            lines += Self.fields(of: stack.metadataStore).map { "      \($0.key): \(Self.quoted($0.value))" }
            lines.append("    artifact_store:")
            lines += Self.fields(of: stack.artifactStore).map { "      \($0.key): \(Self.quoted($0.value))" }
            lines.append("    orchestrator:")
            lines += Self.fields(of: stack.orchestrator).map { "      \($0.key): \(Self.quoted($0.value))" }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
