import Cairn
import Foundation

/// An existing local store, opened for a command: the SQLite metadata and the artifact folder.
///
/// The layout is the local stack's (``Stack/local(at:orchestrator:)``): `metadata.sqlite` and
/// `artifacts/` in the store folder. Opening never creates a store or migrates its schema: only
/// `cairn init` (and a run) does.
struct LocalStore {
    /// The store folder.
    let home: URL
    /// The metadata store.
    let metadata: SQLiteMetadataStore

    /// Opens the store in the folder that `--store`, `$CAIRN_HOME` or the nearest `.cairn` names.
    static func open(_ options: GlobalOptions) throws -> LocalStore {
        let home = try CairnHome.resolve(explicit: options.store)
        try LocalStoreFiles.refuseUnusable(home)
        let path = LocalStoreFiles.metadataPath(in: home)
        guard FileManager.default.fileExists(atPath: path) else {
            let problem =
                if options.store != nil {
                    "no Cairn store in \(home.path) (given with --store)"
                } else if ProcessInfo.processInfo.environment["CAIRN_HOME"]?.isEmpty == false {
                    "no Cairn store in \(home.path) (given by $CAIRN_HOME)"
                } else {
                    "no Cairn store here: no .cairn folder in \(home.deletingLastPathComponent().path) or above it"
                }
            throw CommandError(
                problem, hint: "Create one with `cairn init`, or name an existing one with `--store PATH` or $CAIRN_HOME.")
        }
        let metadata = try SQLiteMetadataStore(existingAt: path)
        StoreRetention.current?.retain(metadata)
        return LocalStore(home: home, metadata: metadata)
    }

    /// The artifact store, opened when a command needs bytes.
    func artifacts() throws -> LocalArtifactStore {
        try LocalArtifactStore(root: LocalStoreFiles.artifactsFolder(in: home))
    }
}
