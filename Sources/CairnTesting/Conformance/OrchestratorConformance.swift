public import Cairn
import Foundation
import Testing

/// The conformance suite of ``Orchestrator``: what every orchestrator must do, whether it runs steps
/// in this process, in processes of their own, or as jobs on a cluster.
///
/// Each check runs pipelines of ``pipelines`` on a fresh stack that uses the orchestrator:
///
/// ```swift
/// @Test(arguments: OrchestratorConformance.checks)
/// func conforms(to check: ConformanceCheck<Stack>) async throws {
///     let store = try TemporaryStore(orchestrator: MyOrchestrator())
///     defer { store.remove() }
///     try await check.run(on: store.stack)
/// }
/// ```
public enum OrchestratorConformance {
    /// Every check.
    public static let checks: [ConformanceCheck<Stack>] = [
        ConformanceCheck("Every step runs after the steps it depends on; outputs, lineage and logs are recorded", completesInOrder),
        ConformanceCheck("A failing step fails the run with its error; the steps after it are skipped, never run", failureIsAResult),
        ConformanceCheck("A failed step is retried, and both attempts are recorded", retries),
        ConformanceCheck("A second run of unchanged steps reuses every output from the cache", cachedRerun),
    ]

    static func completesInOrder(_ stack: Stack) async throws {
        let result = try await diamond.run(OrchestratorConformanceParameters(count: 4), on: stack)
        #expect(try await result.output("total", as: Int.self) == 50)
        #expect(try await result.output("report", as: String.self) == "total 50")
        let steps = try await result.steps
        let byID = Dictionary(uniqueKeysWithValues: steps.map { ($0.id, $0) })
        #expect(Set(steps.map(\.invocation)) == ["conformanceNumbers", "conformanceScale", "conformanceScale_2", "conformanceSum", "conformanceCheck", "conformanceReport"])
        for step in steps {
            #expect(step.status == .completed, "\(step.invocation) completed")
            let parents = try await stack.metadata.parents(ofStepRun: step.id).compactMap { byID[$0] }
            #expect(parents.count == result.run.graph.node(step.invocation)?.upstream.count, "the parents of \(step.invocation)")
            for parent in parents {
                #expect(try #require(parent.endedAt) <= step.startedAt, "\(step.invocation) started after \(parent.invocation) ended")
            }
        }
        let sum = try #require(steps.first { $0.invocation == "conformanceSum" })
        let inputs = try await stack.metadata.inputs(ofStepRun: sum.id)
        #expect(Set(inputs.map(\.artifact.producerStepRunID)) == Set(steps.filter { $0.invocation.hasPrefix("conformanceScale") }.map(\.id)))
        let numbers = try #require(steps.first { $0.invocation == "conformanceNumbers" })
        let log = try await stack.artifacts.load(try #require(numbers.logDigest, "the step's log is stored")) { try $0.readToEnd() }
        #expect(String(decoding: log, as: UTF8.self).contains("making 4 numbers"))
    }

    static func failureIsAResult(_ stack: Stack) async throws {
        let error = await #expect(throws: CairnError.self) {
            try await diamond.run(OrchestratorConformanceParameters(failing: true), on: stack)
        }
        guard case .runFailed(let failure) = error else { return }
        #expect(failure.run.status == .failed)
        #expect(failure.steps.map(\.invocation) == ["conformanceCheck"], "the failure names the step")
        let steps = Dictionary(uniqueKeysWithValues: try await stack.metadata.stepRuns(runID: failure.run.id).map { ($0.invocation, $0) })
        #expect(steps["conformanceCheck"]?.status == .failed)
        #expect(steps["conformanceCheck"]?.error?.contains("the check failed on purpose") == true)
        #expect(steps["conformanceReport"]?.status == .skipped)
        #expect(steps["conformanceSum"]?.status == .completed)
    }

    static func retries(_ stack: Stack) async throws {
        let marker = FileManager.default.temporaryDirectory.appending(path: "cairn-flaky-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let result = try await retrying.run(OrchestratorConformanceParameters(flakyMarker: marker), on: stack)
        #expect(try await result.output("value", as: String.self) == "second attempt")
        let attempts = try await result.steps.filter { $0.invocation == "conformanceFlaky" }.sorted { $0.attempt < $1.attempt }
        #expect(attempts.map(\.attempt) == [1, 2])
        #expect(attempts.map(\.status) == [.retried, .completed])
        #expect(attempts.first?.error?.contains("the first attempt fails on purpose") == true)
    }

    static func cachedRerun(_ stack: Stack) async throws {
        let first = try await diamond.run(OrchestratorConformanceParameters(count: 3), on: stack)
        let second = try await diamond.run(OrchestratorConformanceParameters(count: 3), on: stack)
        let steps = try await second.steps
        #expect(steps.count == 6 && steps.allSatisfy { $0.status == .cached }, "every step of the second run is cached")
        let reused = try await second.outputs.mapValues(\.id)
        #expect(reused == (try await first.outputs.mapValues(\.id)), "the same artifact versions")
    }
}
