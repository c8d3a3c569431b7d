public import CairnCore

/// What a launched step needs of a step it depends on: its step run, which becomes a parent, and
/// its output artifact versions, which become inputs.
public struct UpstreamStep: Sendable {
    /// The step run it recorded.
    public let stepRunID: String
    /// Its output artifact versions, each with the `ArtifactVersionRecord.outputName` it was
    /// recorded for. A slice rather than a dictionary: a fan-in may launch with a hundred thousand
    /// upstream steps, most of them with one output, whose versions can then share one array.
    public let outputs: ArraySlice<ArtifactVersionRecord>
    /// For a step that handed its outputs on before recording them (versions numbered 0), whether it
    /// was recorded; `nil` when it is.
    let recording: StepRecording?

    /// Makes a description of an upstream step from its output versions by output name.
    public init(stepRunID: String, outputs: [String: ArtifactVersionRecord]) {
        self.init(
            stepRunID: stepRunID,
            named: ArraySlice(outputs.map { name, version in
                var version = version
                version.outputName = name
                return version
            }))
    }

    /// Makes a description of an upstream step from output versions whose output names are set.
    init(stepRunID: String, named outputs: ArraySlice<ArtifactVersionRecord>, recording: StepRecording? = nil) {
        self.stepRunID = stepRunID
        self.outputs = outputs
        self.recording = recording
    }

    /// The upstream step a result describes; `nil` when nothing was recorded for it.
    init?(_ result: StepResult) {
        guard let record = result.record else { return nil }
        self.init(stepRunID: record.id, outputs: result.outputs)
    }

    /// The artifact version of the output named `name`.
    public func output(_ name: String) -> ArtifactVersionRecord? {
        outputs.first { $0.outputName == name }
    }
}

extension [String: UpstreamStep] {
    /// Whether a step in it handed its outputs on before recording them.
    var hasOutputsHandedOnEarly: Bool {
        values.contains { $0.recording != nil }
    }

    /// The steps in it, by name, that handed their outputs on early and were not recorded in the
    /// end, once they have all ended.
    var unrecorded: [String] {
        get async {
            var unrecorded: [String] = []
            for (invocation, step) in self {
                if let recording = step.recording, !(await recording.recorded) { unrecorded.append(invocation) }
            }
            return unrecorded.sorted()
        }
    }
}
