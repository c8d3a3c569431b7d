import Cairn
import CairnCore
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

@Step
func requireFile(path: String, model: Model) throws -> Double {
    guard FileManager.default.fileExists(atPath: path) else { throw TestFailure(description: "\(path) is missing") }
    return model.weight
}

@Suite("Resuming runs and explaining the cache", .timeLimit(.minutes(1)))
struct ResumeTests {
    /// A pipeline whose third step fails until `path` exists; caching is off, to show that resuming
    /// reuses completed steps whatever the cache settings.
    func pipeline(path: String, version: String = "1") -> Pipeline<NoParameters> {
        let load = ClosureStep<Int, Dataset>("load", inputs: ["size"], version: version) { Dataset(rows: (0..<$0).map(Double.init)) }
        return Pipeline("resumable", options: PipelineOptions(enableCache: false)) {
            let model = fitStep(data: load(3), rate: 1)
            _ = sumStep(values: .gathering([requireFileStep(path: .constant(path), model: model)]))
        }
    }

    @Test("resuming a failed run reuses the completed steps and runs the rest as new attempts")
    func resume() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let path = store.home.appending(path: "ready").path
        _ = await #expect(throws: CairnError.self) { try await pipeline(path: path).run(on: store.stack) }
        let failed = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        #expect(failed.status == .failed)
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        let resumed = try await PipelineRunner(stack: store.stack).resume(failed, pipeline: pipeline(path: path))
        #expect(resumed.run.id == failed.id && resumed.run.status == .completed)
        let attempts = Dictionary(grouping: try await resumed.steps, by: \.invocation).mapValues { $0.map(\.status) }
        #expect(attempts["load"] == [.completed], "reused, not run again")
        #expect(attempts["fit"] == [.completed])
        #expect(attempts["requireFile"] == [.failed, .completed])
        #expect(attempts["sum"] == [.skipped, .completed])
        #expect(try await resumed.steps.last { $0.invocation == "sum" }?.attempt == 2)
        await #expect(throws: CairnError.self) { try await PipelineRunner(stack: store.stack).resume(resumed.run, pipeline: pipeline(path: path)) }
    }

    @Test("resuming warns, naming the step, when a reused step's code changed")
    func resumeWarnsOnChangedCode() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let path = store.home.appending(path: "ready").path
        _ = await #expect(throws: CairnError.self) { try await pipeline(path: path).run(on: store.stack) }
        let failed = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        let warnings = Locked<[String]>([])
        let runner = PipelineRunner(stack: store.stack) { event in
            if case .warning(let message) = event { warnings.withLock { $0.append(message) } }
        }
        let resumed = try await runner.resume(failed, pipeline: pipeline(path: path, version: "2"))
        #expect(resumed.succeeded)
        #expect(warnings.withLock { $0 } == ["step 'load' is reused from run '\(failed.name)', but its code changed since that run"])
    }

    @Test("resuming runs again a completed step whose output was deleted, truncated or changed", arguments: ObjectDamage.allCases)
    func resumeRecomputesDamagedInputs(_ damage: ObjectDamage) async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let path = store.home.appending(path: "ready").path
        _ = await #expect(throws: CairnError.self) { try await pipeline(path: path).run(on: store.stack) }
        let failed = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        let fit = try #require(try await store.stack.metadata.stepRuns(runID: failed.id).first { $0.invocation == "fit" })
        let model = try #require(try await store.stack.metadata.outputs(ofStepRun: fit.id).first).artifact
        try damage.apply(to: URL(filePath: store.stack.artifacts.location(of: model.digest)))
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        var resumed = try await PipelineRunner(stack: store.stack).resume(failed, pipeline: pipeline(path: path))
        if damage == .flipped {
            // The size is right, so only loading the bytes finds them changed: that attempt fails,
            // naming the version and the step and run that made it, and marks it unusable.
            #expect(!resumed.succeeded)
            let error = try #require(try await resumed.steps.last { $0.invocation == "requireFile" }?.error)
            #expect(error.contains("artifact 'resumable::fit::output:1' (made by step 'fit' of run '\(failed.name)') cannot be used"), "\(error)")
            resumed = try await PipelineRunner(stack: store.stack).resume(resumed.run, pipeline: pipeline(path: path))
        }
        #expect(resumed.succeeded)
        let attempts = Dictionary(grouping: try await resumed.steps, by: \.invocation).mapValues { $0.map(\.status) }
        #expect(attempts["load"] == [.completed], "its output is whole: reused")
        #expect(attempts["fit"] == [.completed, .completed], "run again for its damaged output")
        #expect(try await store.stack.artifacts.check(model.digest) == .intact)
    }

    @Test("the pipeline executable resumes a run by name")
    func resumeCommand() async throws {
        let store = try TemporaryStore(orchestrator: SubprocessOrchestrator(executable: FixtureExecutable.path))
        defer { store.remove() }
        let first = try await FixtureExecutable.run(["run", "diamond", "--param", "fail=true", "--store", store.home.path])
        #expect(first.status != 0)
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        let resumed = try await FixtureExecutable.run(["resume", run.name, "--store", store.home.path])
        #expect(resumed.status != 0, "the check still fails: the run is recorded with fail=true")
        #expect(try await store.stack.metadata.stepRuns(runID: run.id).filter { $0.invocation == "check" }.map(\.attempt) == [1, 2])
        let unknown = try await FixtureExecutable.run(["resume", "diamond-nope", "--store", store.home.path])
        #expect(unknown.output.contains("no run named 'diamond-nope'"))
    }

    @Test("the pipeline executable runs and resumes a dynamic pipeline by name; completed calls are reused")
    func resumeDynamicCommand() async throws {
        let store = try TemporaryStore(orchestrator: SubprocessOrchestrator(executable: FixtureExecutable.path))
        defer { store.remove() }
        let first = try await FixtureExecutable.run(["run", "dynamic_map", "--param", "count=3", "--param", "fail=true", "--orchestrator", "subprocess", "--store", store.home.path])
        #expect(first.status != 0)
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        let resumed = try await FixtureExecutable.run(["resume", run.name, "--orchestrator", "subprocess", "--store", store.home.path])
        #expect(resumed.status != 0, "the check still fails: the run is recorded with fail=true")
        let attempts = Dictionary(grouping: try await store.stack.metadata.stepRuns(runID: run.id), by: \.invocation).mapValues { $0.map(\.attempt) }
        #expect(attempts == ["makeNumbers": [1], "scale_1": [1], "scale_2": [1], "scale_3": [1], "summarise": [1], "check": [1, 2]])
    }

    @Test("explain says which ingredient changed, or what a cached step reused")
    func explain() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        func pipeline(rate: Double) -> Pipeline<NoParameters> {
            Pipeline("explained") { _ = fitStep(data: makeDatasetStep(size: 3), rate: .constant(rate)) }
        }
        try await pipeline(rate: 1).run(on: store.stack)
        let changed = try await pipeline(rate: 2).run(on: store.stack)
        let fit = try #require(try await changed.step("fit"))
        let explanation = try await CacheExplanation.explain(fit, in: changed.run, metadata: store.stack.metadata)
        #expect(explanation.changed == ["parameters.rate"])
        #expect(explanation.summary == "step 'fit' ran because these changed since the previous run: parameters.rate.")
        let load = try #require(try await changed.step("makeDataset"))
        let cached = try await CacheExplanation.explain(load, in: changed.run, metadata: store.stack.metadata)
        #expect(cached.summary.hasPrefix("step 'makeDataset' was cached: it reused step run \(load.cachedFrom ?? "?")"))
    }
}

@Suite("Abandoned runs", .timeLimit(.minutes(1)))
struct AbandonedRunTests {
    /// The diamond pipeline run by the pipeline executable on `store`, with both of its branches
    /// waiting at a gate: a run that is running, by construction.
    func diamondAtGate(in store: TemporaryStore) async throws -> (Gate, BackgroundProcess, RunRecord) {
        let gate = try Gate()
        let process = try BackgroundProcess(
            FixtureExecutable.path, ["run", "diamond", "--store", store.home.path], environment: [Gate.environmentVariable: gate.path])
        #expect(await gate.arrivals(2).count == 2)
        return (gate, process, try #require(try await store.stack.metadata.runs(RunQuery()).first))
    }

    @Test("a run whose process was killed is marked failed with the reason, and resuming it at once completes it")
    func killedRun() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let gate = try Gate()
        let process = try BackgroundProcess(
            FixtureExecutable.path, ["run", "diamond", "--store", store.home.path], environment: [Gate.environmentVariable: gate.path])
        // Both branches are at the gate: the run is killed while it runs, by construction.
        #expect(await gate.arrivals(2).sorted() == ["scale 2.0", "scale 3.0"])
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        process.kill()
        _ = await process.exitStatus()
        let killed = try #require(try await store.stack.metadata.run(id: run.id))
        #expect(killed.status == .running, "nothing could record the kill")
        // Resumed right away, with nothing else having marked it: resume finds the process gone.
        let resumed = try await PipelineRunner(stack: store.stack).resume(killed, pipeline: FixturePipelines.diamond)
        #expect(resumed.succeeded)
        #expect(try await resumed.output("text", as: String.self) == "total = 75.0")
        let steps = try await store.stack.metadata.stepRuns(runID: run.id)
        let reason = "the process running it stopped (process \(process.processIdentifier) on \(run.host)); resume the run to finish it"
        #expect(steps.contains { $0.status == .failed && $0.error == reason }, "the killed attempts are marked failed with the reason")
        #expect(steps.allSatisfy { $0.status != .running })
    }

    @Test("a run whose process lives is neither marked abandoned nor resumed, even when it has been silent for an hour")
    func liveRunIsNotResumed() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let (gate, process, run) = try await diamondAtGate(in: store)
        let error = await #expect(throws: CairnError.self) { try await PipelineRunner(stack: store.stack).resume(run, pipeline: FixturePipelines.diamond) }
        #expect(error?.description == "run '\(run.name)' cannot be resumed: it is running (process \(process.processIdentifier) on \(run.host)); resume it once it has stopped")
        // As if its heartbeats had stopped an hour ago: a process stopped by a debugger, or starved.
        try await store.stack.metadata.heartbeat(runID: run.id, at: Date(timeIntervalSinceNow: -3_600))
        #expect(try await RunWatchdog.markAbandonedRuns(in: store.stack.metadata).isEmpty)
        let silent = try #require(try await store.stack.metadata.run(id: run.id))
        await #expect(throws: CairnError.runNotResumable(run: run.name, reason: silent.whyNotResumable)) {
            try await PipelineRunner(stack: store.stack).resume(silent, pipeline: FixturePipelines.diamond)
        }
        gate.open()
        #expect(await process.exitStatus() == 0)
        #expect(try await store.stack.metadata.run(id: run.id)?.status == .completed)
        #expect(try await store.stack.metadata.stepRuns(runID: run.id).allSatisfy { $0.attempt == 1 }, "nothing ran twice")
    }

    @Test("after cairn artifact verify --repair, rerun runs the completed run's pipeline again: the damaged output's step runs, the rest is cached")
    func rerunRepairs() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let first = try await FixturePipelines.diamond.run(on: store.stack)
        let made = try #require(try await first.step("makeNumbers"))
        let output = try #require(try await store.stack.metadata.outputs(ofStepRun: made.id).first?.artifact)
        let path = store.stack.artifacts.location(of: output.digest)
        var bytes = try Data(contentsOf: URL(filePath: path))
        bytes[0] ^= 0xFF
        try bytes.write(to: URL(filePath: path))

        let cairn = URL(filePath: FixtureExecutable.path).deletingLastPathComponent().appending(path: "cairn").path
        let verified = try await ChildProcess.run(cairn, ["artifact", "verify", "--run", first.run.name, "--repair", "--store", store.home.path])
        #expect(verified.status == 1)
        #expect(verified.output.contains("  swift run <executable> rerun \(first.run.name)\n"), "\(verified.output)")
        let rerun = try await FixtureExecutable.run(["rerun", first.run.name, "--store", store.home.path])
        #expect(rerun.status == 0, "\(rerun.output)")
        let second = try #require(try await store.stack.metadata.runs(RunQuery(limit: 1)).first)
        #expect(second.id != first.run.id && second.status == .completed)
        let steps = Dictionary(uniqueKeysWithValues: try await store.stack.metadata.stepRuns(runID: second.id).map { ($0.invocation, $0.status) })
        #expect(steps["makeNumbers"] == .completed, "the step whose output was damaged ran again")
        #expect(steps["describe"] == .cached)
        #expect(try await store.stack.artifacts.check(output.digest) == .intact, "running it again repaired the stored bytes")
    }

    @Test("a process whose run was taken over, as another host's watchdog and resume would, cannot record the run's end")
    func takenOverRun() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let (gate, process, run) = try await diamondAtGate(in: store)
        // What a watchdog and a resume on another host do to a run whose heartbeat they stopped seeing.
        try await store.stack.metadata.abandonRun(id: run.id, reason: "the process running it stopped", at: Date())
        try await store.stack.metadata.resumeRun(id: run.id, graph: run.graph, at: Date())
        gate.open()
        #expect(await process.exitStatus() != 0, "the process that lost its run says so")
        let claimed = try #require(try await store.stack.metadata.run(id: run.id))
        #expect(claimed.status == .running && RunOwner(of: claimed) == .current, "the end the first process reached is not recorded over the claim")
    }

    @Test("when a run using step processes is killed, its step processes stop too, nothing is left in the temporary folder, and resuming completes it")
    func killedRunWithStepProcesses() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let gate = try Gate()
        let temporary = store.home.appending(path: "process-tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        let process = try BackgroundProcess(
            FixtureExecutable.path, ["run", "diamond", "--orchestrator", "subprocess", "--store", store.home.path],
            environment: [Gate.environmentVariable: gate.path, "TMPDIR": temporary.path])
        // A step process records its step run before the body starts: both are recorded as running.
        #expect(await gate.arrivals(2).count == 2)
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        let paused = try await store.stack.metadata.stepRuns(runID: run.id).filter { $0.stepName == "scale" }
        #expect(paused.count == 2 && paused.allSatisfy { $0.status == .running }, "both branches wait in their own processes")
        process.kill()
        _ = await process.exitStatus()
        // The step processes stop without their parent: nobody waits at the gate any more, though it never opened.
        await gate.vacated()
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path) == [], "the step processes' logs are gone with them")
        #expect(try await RunWatchdog.markAbandonedRuns(in: store.stack.metadata).map(\.id) == [run.id])
        let failed = try #require(try await store.stack.metadata.run(id: run.id))
        for step in paused {
            let marked = try #require(try await store.stack.metadata.stepRun(id: step.id))
            #expect(marked.status == .failed && marked.error == failed.error, "\(step.invocation) is marked failed with its run")
        }
        let resumed = try await PipelineRunner(stack: store.stack(orchestrator: SubprocessOrchestrator(executable: FixtureExecutable.path)))
            .resume(failed, pipeline: FixturePipelines.diamond)
        #expect(resumed.succeeded)
        let attempts = Dictionary(grouping: try await resumed.steps, by: \.invocation).mapValues { $0.map(\.status) }
        #expect(attempts["scale"] == [.failed, .completed] && attempts["scale_2"] == [.failed, .completed])
    }
}
