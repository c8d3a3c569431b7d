import Cairn
@testable import CairnRuntime
@testable import CairnSQLite
import CairnTesting
import Foundation
import GRDB
import GRDBSQLite
import Testing

/// Counts the transactions of a SQLite store that record step runs.
private final class StepRunTransactions: TransactionObserver, Sendable {
    private let state = Locked((changed: false, count: 0))

    var count: Int { state.withLock(\.count) }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        if case .insert(let table) = eventKind { return table == "stepRun" }
        return false
    }

    func databaseDidChange(with event: DatabaseEvent) {
        state.withLock { $0.changed = true }
    }

    func databaseDidCommit(_ db: Database) {
        state.withLock { state in
            if state.changed { state.count += 1 }
            state.changed = false
        }
    }

    func databaseDidRollback(_ db: Database) {
        state.withLock { $0.changed = false }
    }
}

/// A chain of step runs, each started on the output of the one before, as the recorder receives them.
private struct Chain {
    let run: RunRecord
    /// The step run that heads the chain, recorded, whose recording has not ended.
    let head: StepRunRecord
    let headRecording = StepRecording()
    var links: [(stepRun: NewStepRun, output: NewArtifactVersion, recording: StepRecording, upstream: [String: UpstreamStep])] = []

    init(length: Int, in store: SQLiteMetadataStore) async throws {
        run = try await store.createRun(
            NewRun(
                name: "chain", pipelineName: "chain", configuration: "{}", graph: PipelineGraph(), startedAt: Date(), host: "test-host",
                processID: 1))
        head = try await store.createStepRun(NewStepRun(runID: run.id, invocation: "head", stepName: "head", status: .running, startedAt: Date()))
        let headOutput = NewArtifactVersion(
            outputName: "output", name: "chain::head::output", digest: "d0", typeName: "Swift.Int", serializer: "cairn.json",
            serializerVersion: 1, size: 1)
        let headVersions = try await store.finishStepRun(id: head.id, outcome: .completed(outputs: [headOutput]), at: Date())
        var upstream = ["head": UpstreamStep(stepRunID: head.id, named: headVersions[...], recording: headRecording)]
        for index in 1...length {
            let invocation = "step_\(index)"
            let (previous, version) = try #require(upstream.first.map { ($0.key, $0.value.outputs[0]) })
            let stepRun = NewStepRun(
                runID: run.id, invocation: invocation, stepName: "step", status: .running, startedAt: Date(),
                inputs: [InputLink(name: "value", artifactVersionID: version.id)], parents: [upstream[previous]!.stepRunID])
            let output = NewArtifactVersion(
                outputName: "output", name: "chain::\(invocation)::output", digest: "d\(index)", typeName: "Swift.Int",
                serializer: "cairn.json", serializerVersion: 1, size: 1)
            let recording = StepRecording()
            links.append((stepRun, output, recording, upstream))
            let handedOn = ArtifactVersionRecord(output, number: 0, producer: stepRun.id, createdAt: Date())
            upstream = [invocation: UpstreamStep(stepRunID: stepRun.id, named: [handedOn][...], recording: recording)]
        }
    }

    /// Hands every link of the chain to `recorder` at once, and returns what each call returned.
    func record(with recorder: StepRecorder) async -> [Result<[ArtifactVersionRecord], any Error>] {
        await withTaskGroup(of: (Int, Result<[ArtifactVersionRecord], any Error>).self) { group in
            for (index, link) in links.enumerated() {
                group.addTask {
                    let result = await Result {
                        try await recorder.record(
                            WholeStepRun(link.stepRun, outcome: .completed(outputs: [link.output]), endedAt: Date()), as: link.recording,
                            after: link.upstream)
                    }
                    return (index, result)
                }
            }
            var results = [Result<[ArtifactVersionRecord], any Error>?](repeating: nil, count: links.count)
            for await (index, result) in group { results[index] = result }
            return results.map { $0! }
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}

/// The steps of a run that end before they can be recorded as running are recorded by the run's
/// ``StepRecorder``: after the steps they depend on, several to a transaction.
@Suite("Recording steps together", .timeLimit(.minutes(1)))
struct StepRecorderTests {
    @Test("records queued while the store is busy are written together, each after the one it links to, with its new versions")
    func groupCommit() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let metadata = try #require(store.stack.metadata as? SQLiteMetadataStore)
        let chain = try await Chain(length: 10, in: metadata)
        let transactions = StepRunTransactions()
        metadata.dbPool.add(transactionObserver: transactions, extent: .observerLifetime)

        // Another connection holds the write lock while the whole chain queues behind the head.
        var other: OpaquePointer?
        defer { sqlite3_close(other) }
        try #require(sqlite3_open(metadata.path, &other) == SQLITE_OK && sqlite3_exec(other, "BEGIN IMMEDIATE", nil, nil, nil) == SQLITE_OK)
        async let results = chain.record(with: StepRecorder(metadata: metadata))
        chain.headRecording.end(recorded: true)
        await chain.links.last!.recording.queuedOrEnded()
        try #require(sqlite3_exec(other, "COMMIT", nil, nil, nil) == SQLITE_OK)

        let versions = try await results.map { try $0.get() }
        #expect(transactions.count <= 2, "10 step runs queued while the store was busy are recorded in \(transactions.count) transactions")
        for (link, versions) in zip(chain.links, versions) {
            #expect(link.recording.hasBeenRecorded == true)
            #expect(versions.map(\.id) == [link.output.id] && versions.map(\.version) == [1])
            let recorded = try #require(try await metadata.stepRun(id: link.stepRun.id))
            #expect(recorded.status == .completed && recorded.endedAt.map { $0 >= recorded.startedAt } == true)
            #expect(abs(recorded.startedAt.timeIntervalSince(link.stepRun.startedAt)) < 0.001, "recorded as started when it said it started")
            #expect(try await metadata.inputs(ofStepRun: link.stepRun.id).map(\.artifact.id) == link.stepRun.inputs.map(\.artifactVersionID))
            #expect(try await metadata.parents(ofStepRun: link.stepRun.id) == link.stepRun.parents)
        }
        let starts = try await chain.links.asyncMap { try #require(try await metadata.stepRun(id: $0.stepRun.id)).startedAt }
        #expect(starts == starts.sorted(), "each is recorded as started after the one before it")
    }

    @Test("when the step a chain starts on is not recorded, none of the chain is, and each says so")
    func unrecordedHead() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let metadata = try #require(store.stack.metadata as? SQLiteMetadataStore)
        let chain = try await Chain(length: 5, in: metadata)
        async let results = chain.record(with: StepRecorder(metadata: metadata))
        chain.headRecording.end(recorded: false)
        for result in await results {
            #expect(throws: CairnError.self) { try result.get() }
        }
        #expect(chain.links.allSatisfy { $0.recording.hasBeenRecorded == false })
        #expect(try await metadata.stepRuns(runID: chain.run.id).map(\.invocation) == ["head"])
    }
}
