/// How a step run in this process hands its outputs on before they are durable and recorded.
struct HandOff: Sendable {
    /// Takes the step's outputs once they are written, so that the scheduler can start its dependents.
    var deliver: @Sendable (UpstreamStep) -> Void
    /// Records the step, with others of its run, if it ends before it can be recorded as running.
    let recorder: StepRecorder
}
