import CairnCore
public import CairnRuntime
public import Foundation

extension Stack {
    /// The local stack: an SQLite metadata store and an artifact folder, both under `home`, created
    /// when they do not exist.
    ///
    /// `home` defaults to `CairnHome.resolve(explicit:environment:)`: `$CAIRN_HOME`, or the
    /// nearest `.cairn` folder. Records go to `home/metadata.sqlite`, artifacts to `home/artifacts`.
    /// A store whose records were lost while its artifacts remain is refused
    /// (``LocalStoreFiles/refuseUnusable(_:)``).
    public static func local(at home: URL? = nil, orchestrator: any Orchestrator = InProcessOrchestrator()) throws -> Stack {
        let home = try home ?? CairnHome.resolve()
        try LocalStoreFiles.refuseUnusable(home)
        do {
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        } catch {
            throw CairnError.store("cannot create the store folder \(home.path): \(error.localizedDescription)")
        }
        return try local(home, metadata: SQLiteMetadataStore(path: LocalStoreFiles.metadataPath(in: home)), orchestrator: orchestrator)
    }

    /// The local stack in `home`, which must be a store already, with this build's schema: it is
    /// never created or migrated. Commands that carry on a recorded run (`resume`, `explain`,
    /// `step run`) open their store this way.
    ///
    /// - Throws: `CairnError.store(_:)` when there is no store in `home`, or it cannot be used.
    public static func existingLocal(at home: URL, orchestrator: any Orchestrator = InProcessOrchestrator()) throws -> Stack {
        try LocalStoreFiles.refuseUnusable(home)
        let path = LocalStoreFiles.metadataPath(in: home)
        guard FileManager.default.fileExists(atPath: path) else {
            throw CairnError.store("there is no Cairn store in \(home.path); give the folder runs were recorded in with --store or $CAIRN_HOME")
        }
        return try local(home, metadata: SQLiteMetadataStore(existingAt: path), orchestrator: orchestrator)
    }

    /// The stack of the store in `home`, with its metadata opened.
    private static func local(_ home: URL, metadata: SQLiteMetadataStore, orchestrator: any Orchestrator) throws -> Stack {
        Stack(
            metadata: metadata, artifacts: try LocalArtifactStore(root: LocalStoreFiles.artifactsFolder(in: home)),
            orchestrator: orchestrator, processArguments: ["--store", home.path])
    }
}
