/// A pipeline whose body runs while the pipeline runs, so ordinary Swift control flow decides which
/// steps exist.
///
/// The body is `async`: it can await the value of a finished step's output (``Handle/value``) and use
/// it in `if`, `for` and `while`. Each step call is scheduled as soon as it is made and runs when its
/// inputs are ready, in parallel with anything it does not depend on. A loop over a list is a map;
/// passing several handles as one array input (`.gathering(handles)`) is a fan-in.
///
/// ```swift
/// let search = DynamicPipeline("search", parameters: Search()) { parameters in
///     let data = loadStep()
///     var models: [Handle<Evaluation>] = []
///     for kind: String in parameters.kinds {    // one call per entry, named train_<kind>
///         let model = trainStep.named("train_\(kind)")(data: data, kind: .constant(kind))
///         models.append(evaluateStep(model: model, data: data))
///     }
///     let best = selectBestStep(evaluations: .gathering(models))
///     if try await best.value.accuracy < 0.9 { _ = alertStep(message: "no model is good enough") }
///     return ["best": best]
/// }
/// ```
///
/// Everything is recorded as for static pipelines; the run's graph is recorded when the body ends.
///
/// ## Topics
///
/// ### Declaring a dynamic pipeline
///
/// - ``init(_:parameters:options:hooks:_:)-(_,_,_,_,(PipelineParameters<Parameters>)->PipelineOutputs)``
/// - ``init(_:parameters:options:hooks:_:)-(_,_,_,_,(PipelineParameters<Parameters>)->Void)``
/// - ``init(_:options:hooks:_:)-(_,_,_,()->PipelineOutputs)``
/// - ``init(_:options:hooks:_:)-(_,_,_,()->Void)``
/// - ``Handle/value``
///
/// ### Reading its parts
///
/// - ``name``
/// - ``parameters``
/// - ``options``
/// - ``hooks``
///
/// ### Making modified copies
///
/// - ``withOptions(_:)``
///
/// ### Running and compiling
///
/// - ``run(_:on:onEvent:)``
/// - ``compile(parameters:)``
/// - ``compile(parameterOverrides:)``
/// - ``defaultParameters``
/// - ``parameters(overriding:)``
public struct DynamicPipeline<Parameters: Codable & Sendable>: PipelineDefinition {
    /// The pipeline's name.
    public var name: String
    /// The pipeline's options.
    public var options: PipelineOptions
    /// The parameter values used when a run gives none.
    public var parameters: Parameters
    /// Code run at points of each run's life.
    public var hooks: PipelineHooks
    private let body: @Sendable (PipelineParameters<Parameters>) async throws -> PipelineOutputs

    /// Declares a dynamic pipeline whose body returns named outputs.
    @_disfavoredOverload
    public init(
        _ name: String, parameters: Parameters, options: PipelineOptions = PipelineOptions(), hooks: PipelineHooks = PipelineHooks(),
        _ body: @escaping @Sendable (PipelineParameters<Parameters>) async throws -> PipelineOutputs
    ) {
        self.name = name
        self.parameters = parameters
        self.options = options
        self.hooks = hooks
        self.body = body
    }

    /// Declares a dynamic pipeline whose body returns nothing.
    public init(
        _ name: String, parameters: Parameters, options: PipelineOptions = PipelineOptions(), hooks: PipelineHooks = PipelineHooks(),
        _ body: @escaping @Sendable (PipelineParameters<Parameters>) async throws -> Void
    ) {
        self.init(name, parameters: parameters, options: options, hooks: hooks) { parameters -> PipelineOutputs in
            try await body(parameters)
            return .none
        }
    }

    /// A copy with modified options.
    public func withOptions(_ update: (inout PipelineOptions) -> Void) -> DynamicPipeline {
        var copy = self
        update(&copy.options)
        return copy
    }

    /// The default parameter values, as a JSON object.
    public var defaultParameters: JSONValue {
        get throws { try ParameterMerging.jsonValue(of: parameters) }
    }

    /// The default parameter values with `overrides` laid over them, checked against the parameters type.
    public func parameters(overriding overrides: [String: JSONValue]) throws -> JSONValue {
        try ParameterMerging.jsonValue(of: decodeParameters(overriding: overrides))
    }

    /// Binds the default parameters, with `overrides` laid over them, to the body.
    public func compile(parameterOverrides overrides: [String: JSONValue]) throws -> CompiledPipeline {
        try compile(parameters: decodeParameters(overriding: overrides))
    }

    /// Binds `parameters` (or the defaults) to the body: the steps are made when the run executes it.
    /// Parameters of a ``ValidatableParameters`` type are validated first.
    public func compile(parameters: Parameters? = nil) throws -> CompiledPipeline {
        try Names.validate(name, kind: "pipeline")
        let values = parameters ?? self.parameters
        try validateParameters(values, pipeline: name)
        var compiled = CompiledPipeline(
            name: name, options: options, parametersJSON: try CanonicalJSON.string(encoding: values), graph: PipelineGraph(),
            definitions: [:], outputs: [:], hooks: hooks)
        let (name, body) = (name, body)
        compiled.dynamicBody = { context in
            let builder = PipelineBuilder(pipelineName: name, dynamicContext: context)
            let outputs = try await PipelineBuilder.$current.withValue(builder) {
                try await body(PipelineParameters(values))
            }
            try builder.checkDirectCalls()
            return (outputs.bindings, builder.recordedGraph)
        }
        return compiled
    }

    private func decodeParameters(overriding overrides: [String: JSONValue]) throws -> Parameters {
        try ParameterMerging.decode(Parameters.self, overriding: overrides, defaults: defaultParameters, pipeline: name)
    }
}

extension DynamicPipeline where Parameters == NoParameters {
    /// Declares a dynamic pipeline without parameters whose body returns named outputs.
    @_disfavoredOverload
    public init(
        _ name: String, options: PipelineOptions = PipelineOptions(), hooks: PipelineHooks = PipelineHooks(),
        _ body: @escaping @Sendable () async throws -> PipelineOutputs
    ) {
        self.init(name, parameters: NoParameters(), options: options, hooks: hooks) { _ -> PipelineOutputs in try await body() }
    }

    /// Declares a dynamic pipeline without parameters whose body returns nothing.
    public init(
        _ name: String, options: PipelineOptions = PipelineOptions(), hooks: PipelineHooks = PipelineHooks(),
        _ body: @escaping @Sendable () async throws -> Void
    ) {
        self.init(name, parameters: NoParameters(), options: options, hooks: hooks) { _ -> PipelineOutputs in
            try await body()
            return .none
        }
    }
}
