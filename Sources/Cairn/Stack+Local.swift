public import CairnRuntime
public import Foundation

extension Stack {
    /// The local stack: an SQLite metadata store and an artifact folder, both under `home`.
    ///
    /// `home` defaults to `CairnHome.resolve(explicit:environment:)`: `$CAIRN_HOME`, or the
    /// nearest `.cairn` folder. Records go to `home/metadata.sqlite`, artifacts to `home/artifacts`.
    public static func local(at home: URL? = nil, orchestrator: any Orchestrator = InProcessOrchestrator()) throws -> Stack {
        let home = home ?? CairnHome.resolve()
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let subprocess = (orchestrator as? SubprocessOrchestrator).map { OrchestratorConfiguration.subprocess(executable: $0.executable) }
        return Stack(
            metadata: try SQLiteMetadataStore(path: home.appending(path: "metadata.sqlite").path),
            artifacts: try LocalArtifactStore(root: home.appending(path: "artifacts")),
            orchestrator: orchestrator,
            configuration: .local(home: home, orchestrator: subprocess ?? .inProcess))
    }
}
