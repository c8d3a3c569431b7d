/// What a run does when a step fails.
public enum ExecutionMode: String, Codable, Sendable, CaseIterable {
    /// Cancel the steps that are running and start nothing new.
    case failFast = "fail_fast"
    /// Let running steps finish, but start nothing new.
    case stopOnFailure = "stop_on_failure"
    /// Run every step whose inputs exist; only the failed step's dependents are skipped.
    case continueOnFailure = "continue_on_failure"
}
