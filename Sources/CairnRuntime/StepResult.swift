public import CairnCore
import Foundation

/// How one step invocation ended, as the scheduler and downstream steps need it.
public struct StepResult: Sendable {
    /// The invocation's name.
    public let invocation: String
    /// The recorded step run; `nil` if the step never got as far as being recorded.
    public let record: StepRunRecord?
    /// The output artifact versions by output name, for a step that completed or was cached.
    public let outputs: [String: ArtifactVersionRecord]
    /// The error text, for a step that failed.
    public let error: String?
    /// The error the step threw, as it threw it, for a step that failed in this process.
    public let failure: (any Error)?

    /// Makes a result.
    public init(
        invocation: String, record: StepRunRecord?, outputs: [String: ArtifactVersionRecord] = [:], error: String? = nil,
        failure: (any Error)? = nil
    ) {
        self.invocation = invocation
        self.record = record
        self.outputs = outputs
        self.error = error
        self.failure = failure
    }

    /// The final status: the recorded one, or failed when nothing was recorded.
    public var status: ExecutionStatus {
        record?.status ?? .failed
    }

    /// Records `node` as skipped for `reason` and returns its result; when the record cannot be
    /// written, the result says so in its error.
    static func skipped(
        _ node: PipelineNode, reason: String, run: RunRecord, parents: [String], attempt: Int = 1, metadata: any MetadataStore
    ) async -> StepResult {
        do {
            let record = try await metadata.createStepRun(NewStepRun(
                runID: run.id, invocation: node.invocation, stepName: node.step, status: .skipped, startedAt: Date(),
                parameters: node.parameters, fingerprint: node.fingerprint, parents: parents, error: reason, attempt: attempt))
            return StepResult(invocation: node.invocation, record: record, error: reason)
        } catch {
            return StepResult(invocation: node.invocation, record: nil, error: "\(reason); not recorded: \(error)")
        }
    }
}
