/// A pipeline with its parameter type erased: what a pipeline executable lists and runs by name.
public protocol PipelineDefinition: Sendable {
    /// The pipeline's name.
    var name: String { get }
    /// The pipeline's options.
    var options: PipelineOptions { get }
    /// The default parameter values, as a JSON object.
    var defaultParameters: JSONValue { get throws }
    /// The parameter values with some replaced, as a JSON object, checked against the parameter type;
    /// an unknown parameter, or a value that does not decode, is an error.
    func parameters(overriding overrides: [String: JSONValue]) throws -> JSONValue
    /// Compiles the pipeline with some parameters replaced; an unknown parameter is an error. A
    /// dynamic pipeline compiles to its body with the parameters bound.
    func compile(parameterOverrides: [String: JSONValue]) throws -> CompiledPipeline
}
