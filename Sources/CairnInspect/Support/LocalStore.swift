import Cairn
import Foundation

/// An existing local store, opened for a command: the SQLite metadata and the artifact folder.
///
/// The layout is the local stack's (``Stack/local(at:orchestrator:)``): `metadata.sqlite` and
/// `artifacts/` in the store folder. Opening never creates a store: only `cairn init` does.
struct LocalStore {
    /// The store folder.
    let home: URL
    /// The metadata store.
    let metadata: SQLiteMetadataStore

    /// The path of the metadata file in `home`.
    static func metadataPath(in home: URL) -> String {
        home.appending(path: "metadata.sqlite").path
    }

    /// The artifact folder in `home`.
    static func artifactsFolder(in home: URL) -> URL {
        home.appending(path: "artifacts")
    }

    /// Opens the store at the folder `--store`, `$CAIRN_HOME` or the nearest `.cairn` designate.
    static func open(_ options: GlobalOptions) throws -> LocalStore {
        let home = CairnHome.resolve(explicit: options.store)
        let path = metadataPath(in: home)
        guard FileManager.default.fileExists(atPath: path) else {
            let origin = options.store != nil ? "given with --store" : ProcessInfo.processInfo.environment["CAIRN_HOME"].map { _ in "given by $CAIRN_HOME" }
            throw CommandError(
                "no Cairn store in \(home.path)" + (origin.map { " (\($0))" } ?? ""),
                hint: "Create one with `cairn init`, or name an existing one with `--store PATH` or $CAIRN_HOME.")
        }
        return LocalStore(home: home, metadata: try SQLiteMetadataStore(path: path))
    }

    /// The artifact store, opened when a command needs bytes.
    func artifacts() throws -> LocalArtifactStore {
        try LocalArtifactStore(root: Self.artifactsFolder(in: home))
    }
}
