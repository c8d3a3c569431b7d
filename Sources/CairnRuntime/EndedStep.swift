import CairnCore

/// What a run keeps of a step once it has ended: its status, its step run, its output versions'
/// identifiers and its error.
///
/// A dynamic run may make a hundred thousand calls, so it keeps this much of each rather than the
/// step's whole result; a dependent reads the output versions back from the store when it launches.
struct EndedStep: Sendable {
    /// The final status.
    let status: ExecutionStatus
    /// The step run, if one was recorded.
    let stepRunID: String?
    /// The output artifact versions' identifiers with their outputs' names: a list, smaller than a
    /// dictionary for the one or two outputs a step has.
    let outputs: [(name: String, versionID: String)]
    /// The error text, for a step that did not complete.
    let error: String?

    init(_ result: StepResult) {
        status = result.status
        stepRunID = result.record?.id
        outputs = result.outputs.map { ($0.key, $0.value.id) }
        error = result.error
    }

    /// The identifier of the artifact version of the output named `name`.
    func versionID(of name: String) -> String? {
        outputs.first { $0.name == name }?.versionID
    }
}
