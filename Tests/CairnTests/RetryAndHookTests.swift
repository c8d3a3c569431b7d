import Cairn
import CairnTesting
import Foundation
import Testing

/// Attempts of the flaky step, by label, so that tests running in parallel do not share a count.
let flakyAttempts = Locked<[String: Int]>([:])

@Step
func flaky(label: String, failures: Int) throws -> Int {
    let attempt = flakyAttempts.withLock { attempts -> Int in
        attempts[label, default: 0] += 1
        return attempts[label]!
    }
    if attempt <= failures { throw TestFailure(description: "attempt \(attempt) of \(label) failed") }
    return attempt
}

@Step
func readInitState(label: String) throws -> String {
    guard let state = StepContext.current?.initState as? String else { throw TestFailure(description: "no init state") }
    return "\(label): \(state)"
}

@Suite("Retries and hooks", .timeLimit(.minutes(1)))
struct RetryAndHookTests {
    @Test("a failing step is tried again with delay and backoff; each attempt is recorded and earlier ones are marked retried")
    func retries() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let label = UUID().uuidString
        let retry = RetryPolicy(maxRetries: 3, delay: .milliseconds(100), backoff: 2)
        let pipeline = Pipeline("retrying", options: PipelineOptions(enableCache: false, retry: retry)) {
            _ = flakyStep(label: .constant(label), failures: 2)
        }
        let result = try await pipeline.run(on: store.stack)
        let attempts = try await result.steps.filter { $0.invocation == "flaky" }.sorted { $0.attempt < $1.attempt }
        #expect(attempts.map(\.status) == [.retried, .retried, .completed])
        #expect(attempts.map(\.attempt) == [1, 2, 3])
        #expect(attempts[0].error == "attempt 1 of \(label) failed")
        let firstWait = attempts[1].startedAt.timeIntervalSince(try #require(attempts[0].endedAt))
        let secondWait = attempts[2].startedAt.timeIntervalSince(try #require(attempts[1].endedAt))
        #expect(firstWait >= 0.09 && secondWait >= 0.19, "waits of 0.1 s, then 0.2 s")
    }

    @Test("a dynamic pipeline's calls are retried as static steps are")
    func dynamicRetries() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let label = UUID().uuidString
        let pipeline = DynamicPipeline("retrying_dynamic", options: PipelineOptions(enableCache: false, retry: RetryPolicy(maxRetries: 2))) {
            let attempt = try await flakyStep(label: .constant(label), failures: 2).value
            return ["attempt": constantStep(value: .constant(attempt))]
        }
        let result = try await pipeline.run(on: store.stack)
        #expect(try await result.output("attempt", as: Int.self) == 3)
        let attempts = try await result.steps.filter { $0.invocation == "flaky" }.sorted { $0.attempt < $1.attempt }
        #expect(attempts.map(\.status) == [.retried, .retried, .completed])
    }

    @Test("when the retries run out the last attempt fails and so does the run")
    func retriesRunOut() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let label = UUID().uuidString
        let pipeline = Pipeline("exhausted", options: PipelineOptions(enableCache: false)) {
            _ = flakyStep.withOptions { $0.retry = RetryPolicy(maxRetries: 1) }(label: .constant(label), failures: 5)
        }
        _ = await #expect(throws: CairnError.self) { try await pipeline.run(on: store.stack) }
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        let attempts = try await store.stack.metadata.stepRuns(runID: run.id).map(\.status)
        #expect(attempts == [.retried, .failed])
        #expect(run.status == .failed)
    }

    @Test("pipeline hooks: init state reaches steps, success then cleanup run in order")
    func pipelineHooksOnSuccess() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let calls = Locked<[String]>([])
        let hooks = PipelineHooks(
            onInit: { calls.withLock { $0.append("init") }; return "warm" },
            onSuccess: { run in calls.withLock { $0.append("success \(run.status.rawValue)") } },
            onFailure: { _, _ in calls.withLock { $0.append("failure") } },
            onCleanup: { _ in calls.withLock { $0.append("cleanup") } })
        let pipeline = Pipeline("hooked", options: PipelineOptions(enableCache: false), hooks: hooks) {
            return ["state": readInitStateStep(label: "step")]
        }
        let result = try await pipeline.run(on: store.stack)
        #expect(try await result.output("state", as: String.self) == "step: warm")
        #expect(calls.withLock { $0 } == ["init", "success completed", "cleanup"])
    }

    @Test("on failure receives the failed step's name and the error it threw; a failing hook is recorded after the run's own error; cleanup still runs")
    func pipelineHooksOnFailure() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let calls = Locked<[String]>([])
        let hooks = PipelineHooks(
            onFailure: { run, failure in
                let thrown = failure.steps.map { "\($0.invocation): \(($0.error as? TestFailure)?.description ?? "not the step's own error")" }
                calls.withLock { $0.append("failure of \(run.name) \(run.status.rawValue): \(thrown)") }
                throw TestFailure(description: "the alert could not be sent")
            },
            onCleanup: { _ in calls.withLock { $0.append("cleanup") } })
        let pipeline = Pipeline("failing_hooks", hooks: hooks) { _ = explodeStep(model: fitStep(data: makeDatasetStep(size: 1), rate: 1)) }
        let error = await #expect(throws: CairnError.self) { try await pipeline.run(on: store.stack) }
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        #expect(calls.withLock { $0 } == ["failure of \(run.name) failed: [\"explode: exploded on purpose\"]", "cleanup"])
        #expect(run.error == "step 'explode' failed: exploded on purpose\nthe on_failure hook failed: the alert could not be sent")
        // What the run throws carries the failed run's record and the step's own error.
        guard case .runFailed(let failure) = error else { Issue.record("expected runFailed, got \(String(describing: error))"); return }
        #expect(failure.run.id == run.id && failure.run.status == .failed && failure.run.error == run.error)
        #expect(failure.steps.map(\.invocation) == ["explode"] && failure.steps.first?.error is TestFailure)
        #expect(failure.steps.first?.stepRunID == (try await store.stack.metadata.stepRuns(runID: run.id).first { $0.invocation == "explode" })?.id)
    }

    @Test("a failing init hook runs no step, fails the run, and cleanup still runs")
    func failingInit() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let cleaned = Locked(false)
        let hooks = PipelineHooks(
            onInit: { throw TestFailure(description: "no database") }, onCleanup: { _ in cleaned.withLock { $0 = true } })
        let pipeline = Pipeline("no_init", hooks: hooks) { _ = constantStep(value: 1) }
        _ = await #expect(throws: CairnError.self) { try await pipeline.run(on: store.stack) }
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        #expect(run.error == "the on_init hook failed: no database")
        #expect(try await store.stack.metadata.stepRuns(runID: run.id).map(\.status) == [.skipped])
        #expect(cleaned.withLock { $0 })
    }

    @Test("step hooks: success and failure hooks run; a failing one is recorded without hiding the step's error")
    func stepHooks() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let seen = Locked<[String]>([])
        let pipeline = Pipeline("step_hooks", options: PipelineOptions(enableCache: false)) {
            let model = fitStep.withHooks(StepHooks(onSuccess: { run in seen.withLock { $0.append("ok \(run.invocation)") } }))(
                data: makeDatasetStep(size: 2), rate: 1)
            _ = explodeStep.withHooks(StepHooks(onFailure: { _, error in
                seen.withLock { $0.append("failed: \(error)" + (error is TestFailure ? "" : " (not the error thrown)")) }
                throw TestFailure(description: "hook broke")
            }))(model: model)
        }
        _ = await #expect(throws: CairnError.self) { try await pipeline.run(on: store.stack) }
        #expect(seen.withLock { $0 } == ["ok fit", "failed: exploded on purpose"])
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        let explode = try #require(try await store.stack.metadata.stepRuns(runID: run.id).first { $0.invocation == "explode" })
        #expect(explode.error == "exploded on purpose\n(the on_failure hook failed: hook broke)")
    }
}
