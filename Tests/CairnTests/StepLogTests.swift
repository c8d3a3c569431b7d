import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

@Step
func chatty(lines: Int) -> Int {
    for line in 0..<lines {
        StepContext.current?.logger.info("line \(line)", metadata: ["step": "chatty"])
    }
    return lines
}

@Suite("Step logs", .timeLimit(.minutes(1)))
struct StepLogTests {
    func log(of step: StepRunRecord?, in store: TemporaryStore) async throws -> String? {
        guard let digest = step?.logDigest else { return nil }
        return String(decoding: try await store.stack.artifacts.load(digest) { try $0.readToEnd() }, as: UTF8.self)
    }

    @Test("what a step logs is stored with its step run")
    func captured() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let result = try await Pipeline("logging") { _ = chattyStep(lines: 3) }.run(on: store.stack)
        let text = try #require(try await log(of: try await result.step("chatty"), in: store))
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[2].hasSuffix(" info line 2 step=chatty"))
        let timestamp = try #require(lines[0].split(separator: " ").first)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "ISO 8601 in UTC: \(timestamp)")
    }

    @Test("logs can be switched off for a pipeline or a step")
    func switchedOff() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let off = try await Pipeline("quiet", options: PipelineOptions(enableStepLogs: false)) { _ = chattyStep(lines: 3) }.run(on: store.stack)
        #expect(try await off.step("chatty")?.logDigest == nil)
        let stepOff = try await Pipeline("quiet_step") { _ = chattyStep.withOptions { $0.enableStepLogs = false }(lines: 2) }.run(on: store.stack)
        #expect(try await stepOff.step("chatty")?.logDigest == nil)
    }

    @Test("a step in its own process also has its standard output and error captured")
    func processOutput() async throws {
        let store = try TemporaryStore(orchestrator: SubprocessOrchestrator(executable: FixtureExecutable.path))
        defer { store.remove() }
        _ = await #expect(throws: CairnError.self) { try await FixturePipelines.diamond.run(DiamondParameters(crash: true), on: store.stack) }
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        let crashed = try await store.stack.metadata.stepRuns(runID: run.id).first { $0.invocation == "crashIf" }
        let text = try #require(try await log(of: crashed, in: store))
        #expect(text.contains("--- standard output and error of the step process ---\ncrashing on purpose"))
    }
}
