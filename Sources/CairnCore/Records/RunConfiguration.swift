/// The resolved configuration of a run, as recorded with it.
///
/// It holds everything needed to rebuild the run's graph in another process: the pipeline's name,
/// its parameter values, its options and the per-step overrides applied to its graph.
public struct RunConfiguration: Codable, Sendable, Equatable {
    /// The pipeline's name.
    public var pipeline: String
    /// The parameter values.
    public var parameters: JSONValue
    /// The pipeline's options as they applied to the run.
    public var options: PipelineOptions
    /// The per-step overrides applied to the graph, by invocation (``CompiledPipeline/stepOverrides``).
    public var steps: [String: StepOverrides]

    /// Makes a configuration.
    public init(pipeline: String, parameters: JSONValue, options: PipelineOptions, steps: [String: StepOverrides] = [:]) {
        self.pipeline = pipeline
        self.parameters = parameters
        self.options = options
        self.steps = steps
    }

    private enum CodingKeys: String, CodingKey {
        case pipeline, parameters, options, steps
    }

    /// Decodes a configuration; records made before per-step overrides existed have no `steps`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        pipeline = try container.decode(String.self, forKey: .pipeline)
        parameters = try container.decode(JSONValue.self, forKey: .parameters)
        options = try container.decode(PipelineOptions.self, forKey: .options)
        steps = try container.decodeIfPresent([String: StepOverrides].self, forKey: .steps) ?? [:]
    }
}
