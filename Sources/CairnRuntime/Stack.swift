public import CairnCore

/// The components a run uses: where records go, where artifacts go, and what runs the steps.
///
/// ## Topics
///
/// ### Making a stack
///
/// - ``local(at:orchestrator:)``
/// - ``init(metadata:artifacts:orchestrator:configuration:)``
/// - ``with(orchestrator:)``
///
/// ### Its components
///
/// - ``metadata``
/// - ``artifacts``
/// - ``orchestrator``
/// - ``configuration``
/// - ``secrets``
///
/// ### Artifacts outside pipelines
///
/// - ``saveArtifact(_:name:metadata:)``
/// - ``loadArtifact(_:version:as:)``
/// - ``loadArtifact(_:as:)``
public struct Stack: Sendable {
    /// Where runs, step runs and artifact versions are recorded.
    public var metadata: any MetadataStore
    /// Where artifact bytes are kept.
    public var artifacts: any ArtifactStore
    /// What runs each step.
    public var orchestrator: any Orchestrator
    /// What the stack is, as another process, on this host or another, opens it: `nil` for a stack
    /// made of components in code, whose steps can then only run in this process.
    public var configuration: StackConfiguration?
    /// Where the master keys of the stack's secrets come from; `nil` (the default) for the source
    /// its configuration implies (see ``secretKeySource``).
    public var secretKeys: SecretKeySource?
    /// The secret values of the run under way, once resolved: what its steps receive.
    var runSecrets = RunSecrets()

    /// Makes a stack of these components; `configuration` says how another process opens the same.
    public init(
        metadata: any MetadataStore, artifacts: any ArtifactStore, orchestrator: any Orchestrator, configuration: StackConfiguration? = nil
    ) {
        self.metadata = metadata
        self.artifacts = artifacts
        self.orchestrator = orchestrator
        self.configuration = configuration
    }

    /// A copy of this stack that runs steps with another orchestrator.
    public func with(orchestrator: any Orchestrator) -> Stack {
        var copy = self
        copy.orchestrator = orchestrator
        return copy
    }
}
