/// A pipeline: a name, options, parameters with defaults, and a body that calls steps.
///
/// The body runs when the pipeline is compiled; the step calls it makes form the graph. Steps whose
/// inputs do not depend on each other run concurrently.
///
/// ```swift
/// struct TrainingParameters: Codable, Sendable {
///     var learningRate = 0.1
/// }
///
/// let training = Pipeline("training", parameters: TrainingParameters()) { parameters in
///     let data = loadStep(path: "iris.csv")
///     let model = trainStep(data: data, learningRate: parameters.learningRate)
///     return ["model": model]
/// }
/// ```
public struct Pipeline<Parameters: Codable & Sendable>: PipelineDefinition {
    public var name: String
    public var options: PipelineOptions
    /// The parameter values used when a run gives none.
    public var parameters: Parameters
    /// Code run at points of each run's life.
    public var hooks: PipelineHooks
    /// Options laid over individual steps' own, by invocation name (see ``withOptions(forStep:_:)``).
    public var stepOptions: [String: StepOptions] = [:]
    private let body: @Sendable (PipelineParameters<Parameters>) throws -> PipelineOutputs

    /// Declares a pipeline whose body returns named outputs.
    @_disfavoredOverload  // A body without `return` then picks the `Void` form instead of being ambiguous.
    public init(
        _ name: String, parameters: Parameters, options: PipelineOptions = PipelineOptions(), hooks: PipelineHooks = PipelineHooks(),
        _ body: @escaping @Sendable (PipelineParameters<Parameters>) throws -> PipelineOutputs
    ) {
        self.name = name
        self.options = options
        self.parameters = parameters
        self.hooks = hooks
        self.body = body
    }

    /// Declares a pipeline whose body returns nothing.
    public init(
        _ name: String, parameters: Parameters, options: PipelineOptions = PipelineOptions(), hooks: PipelineHooks = PipelineHooks(),
        _ body: @escaping @Sendable (PipelineParameters<Parameters>) throws -> Void
    ) {
        self.init(name, parameters: parameters, options: options, hooks: hooks) { parameters -> PipelineOutputs in
            try body(parameters)
            return .none
        }
    }

    /// A copy with modified options.
    public func withOptions(_ update: (inout PipelineOptions) -> Void) -> Pipeline {
        var copy = self
        update(&copy.options)
        return copy
    }

    /// A copy in which one step invocation's options are changed: set values replace the step's,
    /// dictionaries merge, lists are appended (see ``StepOptions/overlaid(with:)``).
    ///
    /// ```swift
    /// let nightly = training
    ///     .withOptions { $0.runNameTemplate = "nightly-{date}" }
    ///     .withOptions(forStep: "train") { $0.enableCache = false; $0.retry = RetryPolicy(maxRetries: 2) }
    /// ```
    ///
    /// An invocation the pipeline does not have is an error when the pipeline is compiled.
    public func withOptions(forStep invocation: String, _ update: (inout StepOptions) -> Void) -> Pipeline {
        var copy = self
        update(&copy.stepOptions[invocation, default: StepOptions()])
        return copy
    }

    /// A copy that runs with other parameter values by default.
    public func withParameters(_ parameters: Parameters) -> Pipeline {
        var copy = self
        copy.parameters = parameters
        return copy
    }

    public var defaultParameters: JSONValue {
        get throws { try CanonicalJSON.decode(JSONValue.self, from: CanonicalJSON.string(encoding: parameters)) }
    }

    /// Runs the body with `parameters` (or the defaults) and returns the validated graph.
    public func compile(parameters: Parameters? = nil) throws -> CompiledPipeline {
        try compile(parameters: parameters ?? self.parameters, json: CanonicalJSON.string(encoding: parameters ?? self.parameters))
    }

    public func parameters(overriding overrides: [String: JSONValue]) throws -> JSONValue {
        try CanonicalJSON.decode(JSONValue.self, from: CanonicalJSON.string(encoding: decodeParameters(overriding: overrides)))
    }

    public func compile(parameterOverrides overrides: [String: JSONValue]) throws -> CompiledPipeline {
        let values = try decodeParameters(overriding: overrides)
        return try compile(parameters: values, json: CanonicalJSON.string(encoding: values))
    }

    private func decodeParameters(overriding overrides: [String: JSONValue]) throws -> Parameters {
        let merged = try ParameterMerging.merge(overrides, into: defaultParameters, pipeline: name)
        do {
            return try CanonicalJSON.decode(Parameters.self, from: CanonicalJSON.string(encoding: merged))
        } catch {
            throw CairnError.invalidPipeline(pipeline: name, reason: "the parameters do not fit \(Parameters.self): \(misfit(error, overrides: overrides))")
        }
    }

    /// Why overridden parameters do not decode. Foundation's decoder reports a number that an integer
    /// cannot hold (2.5, 1e30) as "not valid JSON" without saying where; then the override at fault is
    /// found by decoding each one alone.
    private func misfit(_ error: any Error, overrides: [String: JSONValue]) -> String {
        if case DecodingError.dataCorrupted(let context) = error, context.codingPath.isEmpty, let defaultParameters = try? defaultParameters {
            let defaults = defaultParameters.objectValue ?? [:]
            for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
                guard let alone = try? ParameterMerging.merge([key: value], into: defaultParameters, pipeline: name) else { continue }
                if (try? CanonicalJSON.decode(Parameters.self, from: CanonicalJSON.string(encoding: alone))) == nil {
                    let shown = defaults[key].map { ", like its default \(CanonicalJSON.string(encoding: $0))" } ?? ""
                    return "'\(key)' cannot hold \(CanonicalJSON.string(encoding: value))\(shown)"
                }
            }
        }
        return ParameterMerging.describe(error)
    }

    private func compile(parameters: Parameters, json: String) throws -> CompiledPipeline {
        try Names.validate(name, kind: "pipeline")
        let builder = PipelineBuilder(pipelineName: name)
        let outputs = try PipelineBuilder.$current.withValue(builder) {
            try body(PipelineParameters(parameters))
        }
        let (graph, definitions) = try builder.finish()
        for (output, binding) in outputs.bindings {
            for case .output(let invocation, _) in binding.leaves where !graph.contains(invocation) {
                throw CairnError.invalidPipeline(pipeline: name, reason: "output '\(output)' comes from '\(invocation)', which is not a step of this pipeline")
            }
        }
        let compiled = CompiledPipeline(
            name: name, options: options, parametersJSON: json, graph: graph, definitions: definitions,
            outputs: outputs.bindings, hooks: hooks)
        return stepOptions.isEmpty ? compiled : try compiled.applying(stepOverrides: stepOptions.mapValues { StepOverrides(options: $0) })
    }
}

extension Pipeline where Parameters == NoParameters {
    /// Declares a pipeline without parameters whose body returns named outputs.
    @_disfavoredOverload
    public init(
        _ name: String, options: PipelineOptions = PipelineOptions(), hooks: PipelineHooks = PipelineHooks(),
        _ body: @escaping @Sendable () throws -> PipelineOutputs
    ) {
        self.init(name, parameters: NoParameters(), options: options, hooks: hooks) { _ -> PipelineOutputs in try body() }
    }

    /// Declares a pipeline without parameters whose body returns nothing.
    public init(
        _ name: String, options: PipelineOptions = PipelineOptions(), hooks: PipelineHooks = PipelineHooks(),
        _ body: @escaping @Sendable () throws -> Void
    ) {
        self.init(name, parameters: NoParameters(), options: options, hooks: hooks) { _ -> PipelineOutputs in
            try body()
            return .none
        }
    }
}
