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
///
/// ## Topics
///
/// ### Declaring a pipeline
///
/// - ``init(_:parameters:options:hooks:_:)-(_,_,_,_,(PipelineParameters<Parameters>)->PipelineOutputs)``
/// - ``init(_:parameters:options:hooks:_:)-(_,_,_,_,(PipelineParameters<Parameters>)->Void)``
/// - ``init(_:options:hooks:_:)-(_,_,_,()->PipelineOutputs)``
/// - ``init(_:options:hooks:_:)-(_,_,_,()->Void)``
/// - ``PipelineParameters``
/// - ``PipelineOutputs``
/// - ``NoParameters``
///
/// ### Reading its parts
///
/// - ``name``
/// - ``parameters``
/// - ``options``
/// - ``hooks``
/// - ``stepOptions``
///
/// ### Making modified copies
///
/// - ``withOptions(_:)``
/// - ``withOptions(forStep:_:)``
/// - ``withParameters(_:)``
///
/// ### Running and compiling
///
/// - ``run(_:configuration:on:onEvent:)``
/// - ``compile(parameters:)``
/// - ``compile(parameterOverrides:)``
/// - ``defaultParameters``
/// - ``parameters(overriding:)``
public struct Pipeline<Parameters: Codable & Sendable>: PipelineDefinition {
    /// The pipeline's name: runs, artifact names and pipeline executables use it.
    public var name: String
    /// The pipeline's options, defaults for its steps' own.
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

    /// The default parameter values, as a JSON object.
    public var defaultParameters: JSONValue {
        get throws { try ParameterMerging.jsonValue(of: parameters) }
    }

    /// Runs the body with `parameters` (or the defaults) and returns the validated graph; parameters
    /// of a ``ValidatableParameters`` type are validated first.
    public func compile(parameters: Parameters? = nil) throws -> CompiledPipeline {
        try compile(parameters: parameters ?? self.parameters, json: CanonicalJSON.string(encoding: parameters ?? self.parameters))
    }

    /// The default parameter values with `overrides` laid over them, checked against the parameters type.
    public func parameters(overriding overrides: [String: JSONValue]) throws -> JSONValue {
        try ParameterMerging.jsonValue(of: decodeParameters(overriding: overrides))
    }

    /// Runs the body with the default parameters, `overrides` laid over them, and returns the validated graph.
    public func compile(parameterOverrides overrides: [String: JSONValue]) throws -> CompiledPipeline {
        let values = try decodeParameters(overriding: overrides)
        return try compile(parameters: values, json: CanonicalJSON.string(encoding: values))
    }

    private func decodeParameters(overriding overrides: [String: JSONValue]) throws -> Parameters {
        try ParameterMerging.decode(Parameters.self, overriding: overrides, defaults: defaultParameters, pipeline: name)
    }

    private func compile(parameters: Parameters, json: String) throws -> CompiledPipeline {
        try Names.validate(name, kind: "pipeline")
        try validateParameters(parameters, pipeline: name)
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
