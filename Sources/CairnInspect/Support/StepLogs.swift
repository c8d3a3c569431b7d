import Cairn

/// Where a step run's captured logs are.
///
/// Step runs record no logs yet. When they do, as text stored in the artifact store, this returns
/// the digest recorded with the step run, and `cairn steps logs` prints the text with no other change.
enum StepLogs {
    /// The digest of the step run's log text in the artifact store, if logs were captured.
    static func digest(of stepRun: StepRunRecord) -> String? {
        nil
    }
}
