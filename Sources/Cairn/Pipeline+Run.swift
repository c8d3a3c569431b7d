public import CairnCore
public import CairnRuntime

extension Pipeline {
    /// Runs the pipeline and returns the finished run; a failed run throws ``CairnError/runFailed(run:failures:)``.
    ///
    /// ```swift
    /// let result = try await training.run(TrainingParameters(learningRate: 0.05))
    /// print(result.run.name)
    /// ```
    ///
    /// - Parameters:
    ///   - parameters: The parameter values; by default, the pipeline's.
    ///   - stack: Where to run; by default, the local stack (``Stack/local(at:orchestrator:)``).
    ///   - onEvent: Called as steps start and end; pass `ConsoleProgress().report` to print progress.
    @discardableResult
    public func run(
        _ parameters: Parameters? = nil, on stack: Stack? = nil, onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) async throws -> RunResult {
        let compiled = try compile(parameters: parameters)
        let runner = PipelineRunner(stack: try stack ?? .local(), onEvent: onEvent)
        return try await runner.run(compiled).requireSuccess()
    }
}
