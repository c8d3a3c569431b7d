/// A pipeline after its body ran: the validated graph, ready to run.
public struct CompiledPipeline: Sendable {
    /// The pipeline's name.
    public let name: String
    /// The pipeline's options.
    public var options: PipelineOptions
    /// The parameter values, as canonical JSON.
    public let parametersJSON: String
    /// The graph of step invocations.
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
}
