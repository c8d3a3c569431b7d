/// A pipeline after its body ran: the validated graph, ready to run.
public struct CompiledPipeline: Sendable {
    /// The pipeline's name.
    public let name: String
    /// The pipeline's options.
    public var options: PipelineOptions
    /// The parameter values, as canonical JSON.
    public let parametersJSON: String
    /// The graph of step invocations.
    public let graph: PipelineGraph
    /// The definition behind each invocation.
    public let definitions: [String: StepDefinition]
    /// The pipeline's named outputs.
    public let outputs: [String: InputBinding]
    /// Code run at points of the run's life.
    public let hooks: PipelineHooks
}
