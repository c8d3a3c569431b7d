public import CairnCore
public import Foundation

/// What runs the steps of a run: in this process, in separate processes, or on a cluster.
///
/// The scheduler decides when a step may start; the orchestrator runs it to its end. When
/// ``runStep(_:)`` returns, the step run is recorded in the metadata store.
public protocol Orchestrator: Sendable {
    /// The orchestrator's name, recorded with runs (`in_process`, `subprocess`).
    var name: String { get }

    /// Runs one step invocation to its end and returns how it ended. It never throws: a failure is a result.
    func runStep(_ launch: StepLaunch) async -> StepResult
}

/// Everything needed to run one step invocation of a run.
public struct StepLaunch: Sendable {
    /// The invocation's name.
    public let invocation: String
    /// The run.
    public let run: RunRecord
    /// The compiled pipeline the run executes.
    public let pipeline: CompiledPipeline
    /// The invocations it depends on, by name.
    public let upstream: [String: UpstreamStep]
    /// The stack the run uses.
    public let stack: Stack
    /// The attempt number, from 1.
    public internal(set) var attempt: Int
    /// When the step was ready to run: its inputs existed, and it waited for a place.
    public var queuedAt: Date
    /// What the pipeline's `onInit` hook returned, for steps run in this process.
    public let initState: (any Sendable)?
    /// The canonical JSON of the cache key's ingredients, when the scheduler computed it to look the
    /// step up: the executor records it rather than computing it again.
    var cacheIngredientsJSON: String?
    /// How an executor in this process hands the step's outputs on once they are written, before they
    /// are durable and recorded, so that the scheduler can start its dependents (see ``StepRecording``).
    /// Orchestrators that run steps elsewhere never use it: their steps' dependents start when
    /// ``Orchestrator/runStep(_:)`` returns.
    var handOff: HandOff?

    /// Makes a launch description.
    public init(
        invocation: String, run: RunRecord, pipeline: CompiledPipeline, upstream: [String: UpstreamStep], stack: Stack,
        attempt: Int = 1, initState: (any Sendable)? = nil, queuedAt: Date = Date()
    ) {
        self.queuedAt = queuedAt
        self.invocation = invocation
        self.run = run
        self.pipeline = pipeline
        self.upstream = upstream
        self.stack = stack
        self.attempt = attempt
        self.initState = initState
    }
}
