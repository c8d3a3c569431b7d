import CairnCore

extension ThreadPoolExecutor {
    /// Where step bodies and user hooks run.
    static let steps = ThreadPoolExecutor(name: "cairn.step")
    /// Where runs record their heartbeats, out of reach of anything else that could delay them.
    static let heartbeats = ThreadPoolExecutor(name: "cairn.heartbeat")

    /// Runs `operation`, and every child task it starts that does not say otherwise, on this
    /// executor's threads, with no pipeline being built: a step, a hook or a dynamic pipeline's body
    /// started from a pipeline's body (as a dynamic run's calls are) does not belong to it.
    func runUserCode<Value>(_ operation: () async throws -> Value) async throws -> Value {
        try await PipelineBuilder.$current.withValue(nil) {
            try await withTaskExecutorPreference(self, operation: operation)
        }
    }
}
