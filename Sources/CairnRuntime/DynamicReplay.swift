import CairnCore

/// Finds one call of a dynamic run by running the pipeline's body again without running any step:
/// each value the body awaits is read from the step run the run recorded for it.
///
/// This is how a separate process learns what a dynamic pipeline's step call is (its bindings and
/// its definition) when it is asked to run it by name. It relies on the body making the same calls
/// in the same order for the same awaited values, as a body that does not read clocks or random
/// numbers does; the caller checks the call found against the one the run launched.
final class DynamicReplay: DynamicRunContext {
    private let target: String
    private let completed: [String: StepRunRecord]
    private let stack: Stack
    private let runName: String
    private let found = Locked<(node: PipelineNode, definition: StepDefinition)?>(nil)

    /// Thrown into the body, at its first await after the call was found, to stop it.
    private struct Found: Error {}

    private init(target: String, completed: [String: StepRunRecord], stack: Stack, runName: String) {
        self.target = target
        self.completed = completed
        self.stack = stack
        self.runName = runName
    }

    /// The call named `invocation` that `pipeline`'s body makes, given the step runs `run` completed
    /// (the last successful one of each invocation).
    static func call(
        _ invocation: String, of pipeline: CompiledPipeline, body: DynamicBody, run: RunRecord, completed: [String: StepRunRecord], stack: Stack
    ) async throws -> (node: PipelineNode, definition: StepDefinition) {
        let replay = DynamicReplay(target: invocation, completed: completed, stack: stack, runName: run.name)
        do {
            _ = try await body(replay)
        } catch {
            guard replay.found.withLock({ $0 }) != nil else {
                throw CairnError.invalidPipeline(
                    pipeline: pipeline.name, reason: "running its body again to find step '\(invocation)' failed: \(StepExecutor.describe(error))")
            }
        }
        guard let call = replay.found.withLock({ $0 }) else {
            throw CairnError.notFound(kind: "call in the body of dynamic pipeline '\(pipeline.name)' for run '\(run.name)'", name: invocation, suggestion: nil)
        }
        return call
    }

    func submit(_ node: PipelineNode, definition: StepDefinition) {
        guard node.invocation == target else { return }
        found.withLock { found in
            if found == nil { found = (node, definition) }
        }
    }

    func value(of binding: InputBinding, as type: ValueType) async throws -> Any {
        if found.withLock({ $0 }) != nil { throw Found() }
        let reader = BindingReader(artifacts: stack.artifacts, metadata: stack.metadata) { invocation, output in
            guard let record = self.completed[invocation] else {
                throw CairnError.stepFailed(
                    step: invocation,
                    message: "the body awaited its output '\(output)', but it has not completed in run '\(self.runName)'; a dynamic "
                        + "pipeline's body must make the same calls each time it runs, or its steps cannot run in separate processes")
            }
            guard let version = try await StepProcess.result(of: record, metadata: self.stack.metadata).outputs[output] else {
                throw CairnError.notFound(kind: "output of step '\(invocation)'", name: output, suggestion: nil)
            }
            return version
        }
        return try await reader.value(of: binding, as: type, for: "a value awaited in the pipeline's body")
    }
}
