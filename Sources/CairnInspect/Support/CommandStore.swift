import Cairn
import Foundation

/// The stores of the stack a command uses, opened for it: the metadata store and the artifact
/// store, seen only through their protocols, whatever the stack's flavors.
///
/// The stack is the one `--stack`, `$CAIRN_STACK`, `cairn stack set` or else `local` names
/// (``StackSelection``); the local stack's folder is the one `--store`, `$CAIRN_HOME` or the nearest
/// `.cairn` names. Opening never creates a store or migrates its schema: only `cairn init` (and a
/// run) does.
struct CommandStore {
    /// The stack's description.
    let configuration: StackConfiguration
    /// The metadata store.
    let metadata: any MetadataStore
    /// The artifact store.
    let artifacts: any ArtifactStore

    /// Opens the stores of the stack the options choose.
    static func open(_ options: GlobalOptions) async throws -> CommandStore {
        let configuration = try StackSelection.resolve(name: options.stack, store: options.store)
        if configuration.name == StackConfiguration.localName, case .sqlite(let path) = configuration.metadataStore {
            try refuseMissingLocalStore(at: path, options: options)
        }
        let stack = try await Stack.open(configuration, creating: false)
        StoreRetention.current?.retain(stack.metadata)
        return CommandStore(configuration: configuration, metadata: stack.metadata, artifacts: stack.artifacts)
    }

    /// Says how the local store was looked for, when there is none where it was looked for.
    private static func refuseMissingLocalStore(at path: String, options: GlobalOptions) throws {
        let home = URL(filePath: path).deletingLastPathComponent()
        try LocalStoreFiles.refuseUnusable(home)
        guard !FileManager.default.fileExists(atPath: path) else { return }
        let problem =
            if options.store != nil {
                "no Cairn store in \(home.path) (given with --store)"
            } else if ProcessInfo.processInfo.environment["CAIRN_HOME"]?.isEmpty == false {
                "no Cairn store in \(home.path) (given by $CAIRN_HOME)"
            } else {
                "no Cairn store here: no .cairn folder in \(home.deletingLastPathComponent().path) or above it"
            }
        throw CommandError(problem, hint: "Create one with `cairn init`, or name an existing one with `--store PATH` or $CAIRN_HOME.")
    }
}
