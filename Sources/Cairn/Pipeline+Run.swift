public import CairnCore
public import CairnRuntime

extension Pipeline {
    /// Runs the pipeline and returns the finished run; a failed run throws `CairnError.runFailed(_:)`, which carries
    /// the failed run's record and the errors its steps threw.
    ///
    /// ```swift
    /// let result = try await training.run(TrainingParameters(learningRate: 0.05))
    /// print(result.run.name)
    ///
    /// let nightly = try await training.run(configuration: RunConfigurationFile(contentsOf: "nightly.yaml"))
    /// ```
    ///
    /// - Parameters:
    ///   - parameters: The parameter values; by default, the pipeline's, with the configuration's laid
    ///     over them. Values given here win over the configuration's, all of them.
    ///   - configuration: A run configuration: run name, options, parameters and per-step overrides.
    ///     Its errors are thrown before anything runs.
    ///   - stack: Where to run; by default, the active stack (``StackSelection``): `local` unless `$CAIRN_STACK` or
///     `cairn stack set` chose another.
    ///   - onEvent: Called as steps start and end; pass `ConsoleProgress().report` to print progress.
    @discardableResult
    public func run(
        _ parameters: Parameters? = nil, configuration: RunConfigurationFile? = nil, on stack: Stack? = nil,
        onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) async throws -> RunResult {
        let compiled = try compiled(parameters, configuration: configuration) { try compile(parameters: parameters) }
        let runner = PipelineRunner(stack: try await Stack.activeUnlessGiven(stack), onEvent: onEvent)
        return try await runner.run(compiled).requireSuccess()
    }
}

extension DynamicPipeline {
    /// Runs the dynamic pipeline and returns the finished run; a failed run throws `CairnError.runFailed(_:)`, which carries
    /// the failed run's record and the errors its steps threw.
    ///
    /// - Parameters:
    ///   - parameters: The parameter values; by default, the pipeline's, with the configuration's laid
    ///     over them. Values given here win over the configuration's, all of them.
    ///   - configuration: A run configuration: run name, options, parameters and per-step overrides.
    ///     Its errors are thrown before anything runs.
    ///   - stack: Where to run; by default, the active stack (``StackSelection``).
    ///   - onEvent: Called as steps start and end.
    @discardableResult
    public func run(
        _ parameters: Parameters? = nil, configuration: RunConfigurationFile? = nil, on stack: Stack? = nil,
        onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) async throws -> RunResult {
        let compiled = try compiled(parameters, configuration: configuration) { try compile(parameters: parameters) }
        let runner = PipelineRunner(stack: try await Stack.activeUnlessGiven(stack), onEvent: onEvent)
        return try await runner.run(compiled).requireSuccess()
    }
}

extension PipelineDefinition {
    /// The pipeline compiled for a run: with `configuration` when there is one, and `parameters`, when
    /// given, laid over the configuration's; otherwise as `compile` makes it.
    fileprivate func compiled(
        _ parameters: (some Encodable)?, configuration: RunConfigurationFile?, orElse compile: () throws -> CompiledPipeline
    ) throws -> CompiledPipeline {
        guard let configuration else { return try compile() }
        let explicit = try parameters.map { try CanonicalJSON.decode(JSONValue.self, from: CanonicalJSON.string(encoding: $0)) }
        return try configuration.compile(self, parameterOverrides: explicit?.objectValue ?? [:])
    }
}

extension Stack {
    /// `stack`, or else the active stack (``StackSelection``), opened.
    fileprivate static func activeUnlessGiven(_ stack: Stack?) async throws -> Stack {
        if let stack { return stack }
        return try await open(StackSelection.resolve())
    }
}
