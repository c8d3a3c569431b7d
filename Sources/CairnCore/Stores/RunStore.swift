public import Foundation

/// Runs: creating them, following their process, ending them, and finding them.
public protocol RunStore: Sendable {
    /// Records a new run with status `running`, registering its pipeline on its first run.
    ///
    /// If another run already has the wanted name, `_2`, `_3`, … is appended when the request allows
    /// it (``NewRun/isNumbered``); otherwise it throws ``CairnError/runNameTaken(name:)``. Two runs
    /// never share a name.
    func createRun(_ run: NewRun) async throws -> RunRecord

    /// Marks a finished run as running again, with the graph it now executes, to resume it.
    ///
    /// The claim is conditional: it throws ``CairnError/runNotResumable(run:reason:)`` when the run
    /// is not failed or stopped any more, so that two processes never resume one run.
    func resumeRun(id: String, graph: PipelineGraph, at date: Date) async throws

    /// Records the graph of a run whose steps were not all known when it started (a dynamic pipeline's).
    func recordGraph(_ graph: PipelineGraph, ofRun id: String) async throws

    /// Records that the process running a run is alive.
    func heartbeat(runID: String, at date: Date) async throws

    /// Marks a run whose process is gone as failed with `reason`, and its unfinished step runs too.
    func abandonRun(id: String, reason: String, at date: Date) async throws

    /// Records the end of a run, if `owner` still runs it.
    ///
    /// - Throws: ``CairnError/runTakenOver(run:owner:)`` when another process runs it now (it
    ///   resumed the run after taking this one for dead), and ``CairnError/notFound(kind:name:suggestion:)``
    ///   when there is no such run.
    func finishRun(id: String, status: ExecutionStatus, error: String?, outputs: [String: String], at date: Date, owner: RunOwner) async throws

    /// The run with this identifier.
    func run(id: String) async throws -> RunRecord?

    /// The run with this name.
    func run(named name: String) async throws -> RunRecord?

    /// Runs matching `query`, newest first.
    func runs(_ query: RunQuery) async throws -> [RunRecord]

    /// Every pipeline that has runs, by name.
    func pipelines() async throws -> [PipelineRecord]
}
