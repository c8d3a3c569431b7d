/// A pipeline ready to run: for a static pipeline, the validated graph its body built; for a dynamic
/// one, its body with the parameters bound (``dynamicBody``), since its steps exist only as it runs.
public struct CompiledPipeline: Sendable {
    /// The pipeline's name.
    public let name: String
    /// The pipeline's options.
    public var options: PipelineOptions
    /// The parameter values, as canonical JSON.
    public let parametersJSON: String
    /// The graph of step invocations; empty for a dynamic pipeline until it runs.
    public internal(set) var graph: PipelineGraph
    /// The definition behind each invocation.
    public internal(set) var definitions: [String: StepDefinition]
    /// The pipeline's named outputs.
    public let outputs: [String: InputBinding]
    /// Code run at points of the run's life.
    public let hooks: PipelineHooks
    /// The per-step overrides applied to the graph and definitions, by invocation, as a run records
    /// them; see ``applying(stepOverrides:)``.
    public internal(set) var stepOverrides: [String: StepOverrides] = [:]
    /// For a dynamic pipeline, its body, which makes the step calls while the run goes.
    public internal(set) var dynamicBody: DynamicBody?
    /// Whether ``disablingCache()`` turned caching off for every step, including a dynamic
    /// pipeline's steps, which are not known before it runs.
    public internal(set) var cacheDisabled = false

    /// Makes a compiled pipeline from its parts.
    public init(
        name: String, options: PipelineOptions, parametersJSON: String, graph: PipelineGraph, definitions: [String: StepDefinition],
        outputs: [String: InputBinding], hooks: PipelineHooks
    ) {
        self.name = name
        self.options = options
        self.parametersJSON = parametersJSON
        self.graph = graph
        self.definitions = definitions
        self.outputs = outputs
        self.hooks = hooks
    }

    /// Whether the pipeline is dynamic: its steps exist only as its body runs.
    public var isDynamic: Bool { dynamicBody != nil }
}

/// The body of a dynamic pipeline with its parameters bound. Run while the pipeline runs, it hands
/// each step call to `context` as it is made, and returns the pipeline's outputs and the graph of
/// every call it made.
public typealias DynamicBody = @Sendable (_ context: any DynamicRunContext) async throws -> (
    outputs: [String: InputBinding], graph: PipelineGraph
)
