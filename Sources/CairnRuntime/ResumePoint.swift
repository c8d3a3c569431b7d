import CairnCore

/// What a run had done before it was resumed: the steps it completed, reused as they are whatever
/// the cache settings, and how many attempts each invocation had. A new run starts from an empty one.
struct ResumePoint: Sendable {
    /// The completed steps' results, by invocation.
    var completed: [String: StepResult] = [:]
    /// The number of attempts each invocation had, by invocation.
    var attempts: [String: Int] = [:]

    /// The attempt number of the next run of `invocation`.
    func nextAttempt(of invocation: String) -> Int {
        attempts[invocation, default: 0] + 1
    }

    /// The warning for a reused step whose code changed since the run it comes from.
    static func codeChanged(_ invocation: String, run: String) -> String {
        "step '\(invocation)' is reused from run '\(run)', but its code changed since that run"
    }

    /// The warning for a completed step that runs again because its outputs cannot be reused.
    static func outputsUnusable(_ invocation: String) -> String {
        "step '\(invocation)' completed, but its outputs are missing or damaged in the artifact store: it runs again"
    }
}
