import Cairn
import CairnTesting
import Foundation
import Testing

@Step
func handOn(label: String) -> Int {
    label.count
}

@Step
func consume(value: Int, label: String) -> Int {
    Latches.open(label)
    return value + 1
}

/// Blocks for `milliseconds`, then lets the commits of the run labelled `label` go on: it ends
/// before the step it depends on is recorded.
@Step
func blockThenConsume(value: Int, label: String, milliseconds: Int) -> Int {
    Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
    Latches.open(label)
    return value + 1
}

/// The local artifact store of a test, whose commits wait until a step of the run labelled `label`
/// opens its latch (see ``Latches``), and then fail when `failing` says so.
struct WaitingCommits: ArtifactStore {
    let local: LocalArtifactStore
    let label: String
    let failing: Bool

    var location: String { local.location }
    func location(of digest: String) -> String { local.location(of: digest) }
    func store(_ write: (any ByteWriter) throws -> Void) async throws -> StoredBlob { try await local.store(write) }
    func stage(_ write: (any ByteWriter) throws -> Void) async throws -> StagedBlob { try await local.stage(write) }
    func discard(_ staged: StagedBlob) async { await local.discard(staged) }
    func load<T>(_ digest: String, _ read: (any ByteReader) throws -> T) async throws -> T { try await local.load(digest, read) }
    func contains(_ digest: String) async throws -> Bool { try await local.contains(digest) }
    func size(of digest: String) async throws -> Int64? { try await local.size(of: digest) }
    func delete(_ digest: String) async throws { try await local.delete(digest) }
    func objects() async throws -> [StoredObject] { try await local.objects() }
    func delete(_ digest: String, ifWrittenBefore cutoff: Date) async throws -> Bool { try await local.delete(digest, ifWrittenBefore: cutoff) }

    func commit(_ staged: StagedBlob) async throws {
        await Latches.wait(for: label)
        if failing { throw CairnError.store("the disk is full") }
        try await local.commit(staged)
    }
}

/// A step run in process hands its outputs to its dependents as soon as they are written, and makes
/// them durable and records them while the dependents run.
@Suite("Handing outputs on before they are durable", .timeLimit(.minutes(1)))
struct HandOffTests {
    @Test(
        "each step of a chain is recorded as started after the step it depends on ended, with links to its recorded outputs",
        arguments: [false, true])
    func chainRecords(slowCommits: Bool) async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        var stack = store.stack
        let label = UUID().uuidString
        if slowCommits {
            // Steps run to their end on outputs not yet recorded, and are recorded whole.
            stack.artifacts = WaitingCommits(local: try #require(store.stack.artifacts as? LocalArtifactStore), label: label, failing: false)
        }
        let pipeline = Pipeline("chain", options: PipelineOptions(maxConcurrency: 1)) {
            var value = handOnStep(label: .constant(label))
            for _ in 0..<20 { value = consumeStep(value: value, label: .constant(label)) }
        }
        let result = try await pipeline.run(on: stack)
        let steps = try await result.steps
        #expect(steps.count == 21 && steps.allSatisfy { $0.status == .completed })
        let byID = Dictionary(uniqueKeysWithValues: steps.map { ($0.id, $0) })
        for step in steps where step.invocation != "handOn" {
            let parents = try await store.stack.metadata.parents(ofStepRun: step.id)
            let parent = try #require(parents.count == 1 ? byID[parents[0]] : nil, "\(step.invocation) has one parent")
            #expect(try #require(parent.endedAt) <= step.startedAt, "\(step.invocation) starts after \(parent.invocation) ended")
            let inputs = try await store.stack.metadata.inputs(ofStepRun: step.id).map(\.artifact)
            let outputs = try await store.stack.metadata.outputs(ofStepRun: parent.id).map(\.artifact)
            #expect(inputs == outputs && inputs.count == 1 && inputs[0].version >= 1)
        }
    }

    @Test("when outputs handed on cannot be made durable, their step fails without retrying and its dependents are skipped; nothing is left behind")
    func failedCommit() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let local = try #require(store.stack.artifacts as? LocalArtifactStore)
        var stack = store.stack
        let label = UUID().uuidString
        stack.artifacts = WaitingCommits(local: local, label: label, failing: true)
        let pipeline = Pipeline("failing_disk", options: PipelineOptions(retry: RetryPolicy(maxRetries: 2))) {
            _ = consumeStep(value: handOnStep(label: .constant(label)), label: .constant(label))
        }
        let error = await #expect(throws: CairnError.self) { try await pipeline.run(on: stack) }
        #expect(error?.description.contains("the disk is full") == true)
        #expect(Latches.isOpen(label), "the dependent ran on the outputs handed on")
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        let steps = try await store.stack.metadata.stepRuns(runID: run.id)
        #expect(steps.map(\.invocation).sorted() == ["consume", "handOn"], "one attempt each: no retry after the hand-off")
        let producer = try #require(steps.first { $0.invocation == "handOn" })
        let dependent = try #require(steps.first { $0.invocation == "consume" })
        #expect(producer.status == .failed && producer.error?.contains("the disk is full") == true)
        #expect(dependent.status == .skipped && dependent.error == "step 'handOn' did not complete")
        #expect(run.status == .failed && steps.allSatisfy { $0.endedAt != nil })
        #expect(try await store.stack.metadata.counts().artifactVersions == 0)
        let temporary = try FileManager.default.contentsOfDirectory(atPath: local.root.appending(path: "tmp").path)
        #expect(temporary.isEmpty, "staged outputs are discarded")
    }
}
