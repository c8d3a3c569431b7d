import CairnCore

/// Runs a step on its stack's orchestrator, and runs it again, as a new attempt in the same run,
/// while it fails and its retry policy allows: the one retry loop of static and dynamic runs.
///
/// A step that handed its outputs on (see ``StepRecording``) is not retried, since its dependents
/// started with those outputs. Each failed attempt is marked retried in the store, and reported as
/// a warning with the wait before the next.
struct StepAttempts {
    let stack: Stack
    let onEvent: @Sendable (RunEvent) -> Void

    /// Runs `first` and its retries, and returns how the last attempt ended.
    func run(_ first: StepLaunch) async -> StepResult {
        let policy = first.pipeline.definitions[first.invocation]?.options.resolved(in: first.pipeline.options).retry
        let handedOff = Locked(false)
        var launch = first
        if let deliver = first.handOff?.deliver {
            launch.handOff?.deliver = { @Sendable outputs in
                handedOff.withLock { $0 = true }
                deliver(outputs)
            }
        }
        while true {
            let result = await stack.orchestrator.runStep(launch)
            let retry = launch.attempt - first.attempt + 1
            guard result.status == .failed, let policy, retry <= policy.maxRetries, !Task.isCancelled, let record = result.record,
                !handedOff.withLock({ $0 })
            else {
                return result
            }
            try? await stack.metadata.markRetried(stepRunID: record.id)
            let wait = policy.wait(beforeRetry: retry)
            onEvent(.warning("step '\(launch.invocation)' failed on attempt \(launch.attempt); retrying in \(wait): \(result.error ?? "")"))
            if wait > .zero { try? await Task.sleep(for: wait) }
            launch.attempt += 1
        }
    }
}
