import CairnConfiguration
public import CairnCore
public import Foundation

/// Which stack a command uses: the one named with `--stack` (or the local stack, when `--store`
/// names its folder), else `$CAIRN_STACK`, else the one `cairn stack set` chose, else `local`.
///
/// Stacks other than `local` are described in the project's stack file (``StackFile``). The local
/// stack is in the folder that `--store`, `$CAIRN_HOME` or the nearest `.cairn` names, as ever.
public enum StackSelection {
    /// The environment variable that names the active stack.
    public static let environmentVariable = "CAIRN_STACK"

    /// The description of the stack to use.
    ///
    /// - Parameters:
    ///   - name: The stack named on the command line, if any.
    ///   - store: A local store folder named on the command line (`--store`), if any: only the local
    ///     stack has one.
    /// - Throws: when the stack is not known, or the stack file has errors.
    public static func resolve(
        name: String? = nil, store: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> StackConfiguration {
        // A folder named on the command line is a choice of the local stack, as explicit as --stack.
        let chosen = name ?? (store != nil ? StackConfiguration.localName : nil)
            ?? environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 } ?? activeStack(environment: environment)
        guard let chosen, chosen != StackConfiguration.localName else {
            return try localStack(store: store, environment: environment)
        }
        if store != nil {
            throw CairnError.store("--store names a folder of the local stack, and stack '\(chosen)' is not local: give one or the other")
        }
        guard let path = StackFile.find(environment: environment) else {
            throw CairnError.notFound(
                kind: "stack (there is no \(StackFile.fileName) here or above; `cairn stack register` makes one)", name: chosen, suggestion: nil)
        }
        let file = try StackFile(contentsOf: path)
        guard let stack = file.stack(named: chosen) else {
            let known = [StackConfiguration.localName] + file.stacks.map(\.name)
            throw CairnError.notFound(kind: "stack in \(path)", name: chosen, suggestion: Suggestion.closest(to: chosen, in: known))
        }
        return stack
    }

    /// The local stack, in the folder `store`, `$CAIRN_HOME` or the nearest `.cairn` names.
    public static func localStack(store: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> StackConfiguration {
        .local(home: try CairnHome.resolve(explicit: store, environment: environment))
    }

    /// The file in which `cairn stack set` keeps its choice: `active-stack` in the local stack's
    /// folder, which a project does not commit.
    public static func activeStackFile(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        try CairnHome.resolve(environment: environment).appending(path: "active-stack")
    }

    /// The stack `cairn stack set` chose, if any.
    public static func activeStack(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard let file = try? activeStackFile(environment: environment), let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? nil : name
    }
}
