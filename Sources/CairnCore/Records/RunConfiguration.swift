/// The resolved configuration of a run, as recorded with it.
///
/// It holds everything needed to rebuild the run's graph in another process: the pipeline's name,
/// its parameter values and its options.
public struct RunConfiguration: Codable, Sendable, Equatable {
    /// The pipeline's name.
    public var pipeline: String
    /// The parameter values.
    public var parameters: JSONValue
    /// The pipeline's options as they applied to the run.
    public var options: PipelineOptions

    /// Makes a configuration.
    public init(pipeline: String, parameters: JSONValue, options: PipelineOptions) {
        self.pipeline = pipeline
        self.parameters = parameters
        self.options = options
    }
}
