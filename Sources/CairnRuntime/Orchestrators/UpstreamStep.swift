public import CairnCore

/// What a launched step needs of a step it depends on: its step run, which becomes a parent, and
/// its output artifact versions, which become inputs.
public struct UpstreamStep: Sendable {
    /// The step run it recorded.
    public let stepRunID: String
    /// Its output artifact versions, by output name.
    public let outputs: [String: ArtifactVersionRecord]

    /// Makes a description of an upstream step.
    public init(stepRunID: String, outputs: [String: ArtifactVersionRecord]) {
        self.stepRunID = stepRunID
        self.outputs = outputs
    }

    /// The upstream step a result describes; `nil` when nothing was recorded for it.
    init?(_ result: StepResult) {
        guard let record = result.record else { return nil }
        self.init(stepRunID: record.id, outputs: result.outputs)
    }
}
