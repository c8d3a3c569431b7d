public import CairnCore

/// The components a run uses: where records go, where artifacts go, and what runs the steps.
///
/// ## Topics
///
/// ### Making a stack
///
/// - ``local(at:orchestrator:)``
/// - ``init(metadata:artifacts:orchestrator:processArguments:)``
/// - ``with(orchestrator:)``
///
/// ### Its components
///
/// - ``metadata``
/// - ``artifacts``
/// - ``orchestrator``
/// - ``processArguments``
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
    /// The arguments that make another process open this same stack (for example `--store PATH`).
    public var processArguments: [String]

    /// Makes a stack.
    public init(metadata: any MetadataStore, artifacts: any ArtifactStore, orchestrator: any Orchestrator, processArguments: [String] = []) {
        self.metadata = metadata
        self.artifacts = artifacts
        self.orchestrator = orchestrator
        self.processArguments = processArguments
    }

    /// A copy of this stack that runs steps with another orchestrator.
    public func with(orchestrator: any Orchestrator) -> Stack {
        var copy = self
        copy.orchestrator = orchestrator
        return copy
    }
}
