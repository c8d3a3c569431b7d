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

    /// The most a run's configuration may take as JSON: 1 MiB. A run records it whole, and each step
    /// process reads it back, so a larger one is refused before the run starts
    /// (``storedJSON()``); pass large data as an artifact of a step instead.
    public static let maximumStoredSize = 1_048_576

    /// Makes a configuration.
    public init(pipeline: String, parameters: JSONValue, options: PipelineOptions, steps: [String: StepOverrides] = [:]) {
        self.pipeline = pipeline
        self.parameters = parameters
        self.options = options
        self.steps = steps
    }

    /// The configuration as the canonical JSON a run records; larger than ``maximumStoredSize`` is an error.
    public func storedJSON() throws -> String {
        let json = try CanonicalJSON.string(encoding: self)
        guard json.utf8.count <= Self.maximumStoredSize else {
            throw CairnError.invalidConfiguration(
                key: "",
                reason: "the run's configuration (parameters and options) takes \(json.utf8.count) bytes as JSON, "
                    + "over the limit of \(Self.maximumStoredSize / 1_048_576) MiB a run records; pass large data as a step's artifact instead",
                location: nil)
        }
        return json
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
