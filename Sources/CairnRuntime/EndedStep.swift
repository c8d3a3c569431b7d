import CairnCore

/// What a run keeps of a step once it has ended: its status, its step run, its output versions'
/// identifiers and its error.
///
/// A dynamic run may make a hundred thousand calls, so it keeps this much of each rather than the
/// step's whole result, with identifiers in their compact form; a dependent reads the output
/// versions back from the store when it launches. An object, so that the run's table of ended
/// calls holds a reference for each, not the fields.
final class EndedStep: Sendable {
    /// The final status.
    let status: ExecutionStatus
    /// The step run, if one was recorded.
    let stepRun: CompactIdentifier?
    /// The output artifact versions' identifiers with their outputs' names: a list, smaller than a
    /// dictionary for the one or two outputs a step has.
    let outputs: [(name: String, version: CompactIdentifier)]
    /// The error text, for a step that did not complete.
    let error: String?
    /// The error a failed step threw in this process, for the run's failure hook and its caller.
    let failure: (any Error)?

    init(_ result: StepResult) {
        status = result.status
        stepRun = result.record.map { CompactIdentifier($0.id) }
        outputs = result.outputs.map { ($0.key, CompactIdentifier($0.value.id)) }
        error = result.error
        failure = result.failure
    }

    /// The identifier of the step run, if one was recorded.
    var stepRunID: String? {
        stepRun?.text
    }

    /// The identifier of the artifact version of the output named `name`.
    func versionID(of name: String) -> String? {
        outputs.first { $0.name == name }?.version.text
    }
}
