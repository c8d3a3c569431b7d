public import CairnRuntime
public import Foundation

extension Stack {
    /// The local stack: an SQLite metadata store and an artifact folder, both under `home`.
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
        let subprocess = (orchestrator as? SubprocessOrchestrator).map { OrchestratorConfiguration.subprocess(executable: $0.executable) }
        return Stack(
            metadata: try SQLiteMetadataStore(path: LocalStoreFiles.metadataPath(in: home)),
            artifacts: try LocalArtifactStore(root: LocalStoreFiles.artifactsFolder(in: home)),
            orchestrator: orchestrator,
            configuration: .local(home: home, orchestrator: subprocess ?? .inProcess))
    }
}
