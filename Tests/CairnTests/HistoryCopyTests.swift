import Cairn
import CairnFixturePipelines
import CairnPostgres
import CairnTesting
import Foundation
import Testing

/// A local stack with a history of every kind: completed, cached and failed runs of the diamond,
/// metadata and a visualization, step logs, a version saved outside pipelines, and, by hand, a run
/// still running (`dependency`) whose output an older, ended run (`dependent`) reuses.
private struct SourceHistory {
    let store: TemporaryStore
    let dependency: RunRecord
    let dependent: RunRecord

    var stack: Stack { store.stack }

    static func make() async throws -> SourceHistory {
        let store = try TemporaryStore()
        let stack = store.stack
        try await stack.saveArtifact([1.5, 2.5] as [Double], name: "numbers", metadata: ["source": "manual"])
        try await FixturePipelines.diamond.run(on: stack)
        try await FixturePipelines.diamond.run(on: stack)
        _ = try? await FixturePipelines.diamond.run(DiamondParameters(count: 3, fail: true), on: stack)
        try await Pipeline("measured") { _ = measureStep(values: [1.0, 2.0, 3.0]) }.run(on: stack)
        try await Pipeline("logging") { _ = chattyStep(lines: 3) }.run(on: stack)

        let metadata = stack.metadata
        let bytes = try await stack.artifacts.store { try $0.write(Data("by hand".utf8)) }
        func start(_ name: String, at seconds: Double) async throws -> RunRecord {
            try await metadata.createRun(NewRun(
                name: name, pipelineName: "by_hand", configuration: "{}", graph: PipelineGraph(),
                startedAt: Date(timeIntervalSince1970: 1_700_000_000 + seconds), host: "elsewhere", processID: 7))
        }
        let dependency = try await start("dependency", at: 100)
        // Its process, on another host, is alive: it beat just now.
        try await metadata.heartbeat(runID: dependency.id, at: Date())
        let made = try await metadata.createStepRun(NewStepRun(
            runID: dependency.id, invocation: "make", stepName: "make", status: .running, startedAt: Date(timeIntervalSince1970: 1_700_000_101)))
        let output = NewArtifactVersion(
            outputName: "output", name: "by_hand::make::output", digest: bytes.digest, typeName: "Swift.String", serializer: "cairn.text",
            serializerVersion: 1, size: bytes.size)
        let versions = try await metadata.finishStepRun(
            id: made.id, outcome: .completed(outputs: [output]), at: Date(timeIntervalSince1970: 1_700_000_102))
        // Older, as a resumed run is: it reuses what a later run made.
        let dependent = try await start("dependent", at: 0)
        _ = try await metadata.createStepRun(NewStepRun(
            runID: dependent.id, invocation: "make", stepName: "make", status: .cached, startedAt: Date(timeIntervalSince1970: 1_700_000_200),
            cachedFrom: made.id, reusedOutputs: ["output": versions[0].id]))
        try await metadata.finishRun(
            id: dependent.id, status: .completed, error: nil, outputs: ["made": versions[0].id], at: Date(timeIntervalSince1970: 1_700_000_201),
            owner: RunOwner(of: dependent))
        return SourceHistory(store: store, dependency: dependency, dependent: dependent)
    }

    /// Ends the run still running.
    func finishDependency() async throws {
        try await stack.metadata.finishRun(
            id: dependency.id, status: .completed, error: nil, outputs: [:], at: Date(timeIntervalSince1970: 1_700_000_103),
            owner: RunOwner(of: dependency))
    }
}

/// A stack named `name` to copy into, opened from its description as `cairn store copy` opens it:
/// a fresh metadata store of `kind` and an artifact folder of its own; and what removes it.
private func makeDestination(_ kind: StoreKind, name: String = "team") async throws -> (stack: Stack, cleanup: @Sendable () -> Void) {
    let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-copy-\(UUID().uuidString)")
    let artifacts = ArtifactStoreConfiguration.local(path: folder.appending(path: "artifacts").path)
    switch kind {
    case .sqlite:
        let configuration = StackConfiguration(
            name: name, metadataStore: .sqlite(path: folder.appending(path: "metadata.sqlite").path), artifactStore: artifacts)
        return (try await Stack.open(configuration), { try? FileManager.default.removeItem(at: folder) })
    case .postgresql:
        let server = try await PostgreSQLTestServer.shared()
        let connection = PostgreSQLConnection(
            host: server.host, port: server.port, database: "postgres", user: server.user, passwordVariable: "COPY_TEST_PASSWORD",
            schema: "copy_\(RandomIdentifier.make().replacing("-", with: ""))", tls: .disable)
        let configuration = StackConfiguration(name: name, metadataStore: .postgresql(connection), artifactStore: artifacts)
        let stack = try await Stack.open(configuration, environment: ["COPY_TEST_PASSWORD": server.password])
        return (stack, {
            try? FileManager.default.removeItem(at: folder)
            if let store = stack.metadata as? PostgreSQLMetadataStore { Task { await store.close() } }
        })
    }
}

@Suite("Copying a history into another stack", .timeLimit(.minutes(2)))
struct HistoryCopyTests {
    @Test("every run is copied with its lineage, logs, metadata and bytes, runs still running once they end, and a copy again copies nothing",
        arguments: StoreKind.allCases)
    func copiesWholeOnce(kind: StoreKind) async throws {
        let source = try await SourceHistory.make()
        defer { source.store.remove() }
        let (destination, cleanup) = try await makeDestination(kind)
        defer { cleanup() }

        let first = try await source.stack.copyHistory(to: destination)
        #expect(first.source == "local" && first.destination == "team")
        #expect(first.copiedRuns.count == 5)
        #expect(first.skippedRuns == [
            HistoryCopyReport.SkippedRun(
                id: source.dependency.id, name: "dependency", reason: "it is still running; copy again once it has ended"),
            HistoryCopyReport.SkippedRun(
                id: source.dependent.id, name: "dependent",
                reason: "it uses outputs of run 'dependency', which was not copied: it is still running; copy again once it has ended"),
        ])
        #expect(first.copiedObjectCount > 0 && first.copiedBytes > 0 && first.missingObjects.isEmpty)
        #expect(try await destination.metadata.run(id: source.dependency.id) == nil)

        try await source.finishDependency()
        let second = try await source.stack.copyHistory(to: destination)
        #expect(second.copiedRuns == ["dependency", "dependent"], "a run is copied after the runs whose outputs it uses")
        #expect(second.presentRunCount == 5 && second.skippedRuns.isEmpty)
        #expect(second.copiedArtifactVersionCount == 1)
        let original = try await StoreAnswers.read(source.stack)
        #expect(original.runs.count == 7 && original.objects.count > 10 && original.visualizations.values.contains { !$0.isEmpty })
        #expect(original.stepRunDetails.contains { $0.logDigest != nil } && original.stepRunDetails.contains { $0.cacheIngredients != nil })
        #expect(original.metadata.keys.contains { if case .run = $0 { true } else { false } })
        #expect(try await StoreAnswers.read(destination) == original)
        let counts = try await destination.metadata.counts()
        #expect(first.copiedArtifactVersionCount + second.copiedArtifactVersionCount == counts.artifactVersions)

        let third = try await source.stack.copyHistory(to: destination)
        #expect(third.copiedRuns.isEmpty && third.presentRunCount == 7 && third.skippedRuns.isEmpty)
        #expect(third.copiedArtifactVersionCount == 0 && third.copiedObjectCount == 0 && third.copiedBytes == 0)
        #expect(try await destination.metadata.counts() == counts)

        // The copy's own copy, back into SQLite, answers as the original does.
        let (back, removeBack) = try await makeDestination(.sqlite, name: "back")
        defer { removeBack() }
        let returned = try await destination.copyHistory(to: back)
        #expect(returned.copiedRuns.count == 7 && returned.skippedRuns.isEmpty)
        #expect(try await StoreAnswers.read(back) == original)
    }

    @Test("new versions in the copy are numbered after the copied ones", arguments: StoreKind.allCases)
    func numbersContinue(kind: StoreKind) async throws {
        let source = try await SourceHistory.make()
        defer { source.store.remove() }
        let (destination, cleanup) = try await makeDestination(kind)
        defer { cleanup() }
        try await source.finishDependency()
        _ = try await source.stack.copyHistory(to: destination)
        let saved = try await destination.saveArtifact([4.5] as [Double], name: "numbers")
        #expect(saved.version == 2)
        let rerun = try await FixturePipelines.diamond.run(DiamondParameters(count: 4), on: destination)
        let summarise = try #require(try await rerun.step("summarise"))
        let outputs = try await destination.metadata.outputs(ofStepRun: summarise.id)
        #expect(outputs.allSatisfy { $0.artifact.version == 3 }, "two diamond runs made versions 1 and 2: \(outputs.map(\.artifact.reference))")
    }

    @Test("a run whose name the destination gives another run stops the copy, and nothing of it is written; a copy again finishes",
        arguments: StoreKind.allCases)
    func nameConflict(kind: StoreKind) async throws {
        let source = try await SourceHistory.make()
        defer { source.store.remove() }
        try await source.finishDependency()
        let (destination, cleanup) = try await makeDestination(kind)
        defer { cleanup() }
        let runs = try await source.stack.metadata.runs(RunQuery(limit: 100)).reversed()
        let blocked = try #require(runs.first { $0.pipelineName == "measured" })
        let other = try await destination.metadata.createRun(NewRun(
            name: blocked.name, isNumbered: false, pipelineName: "elsewhere", configuration: "{}", graph: PipelineGraph(), startedAt: Date(),
            host: "elsewhere", processID: 1))

        let error = await #expect(throws: CairnError.self) { try await source.stack.copyHistory(to: destination) }
        let before = Array(runs.prefix { $0.id != blocked.id })
        #expect(error?.description == """
            cannot copy run '\(blocked.name)' from stack 'local' to stack 'team': another run there is named '\(blocked.name)'. \
            Nothing of the run was written there, and the \(before.count) run(s) copied before it stay. If the other run is not needed, \
            delete it (cairn runs delete \(blocked.name) --stack team), then copy again to finish.
            """)
        #expect(try await destination.metadata.run(id: blocked.id) == nil)
        #expect(try await destination.metadata.stepRuns(runID: blocked.id).isEmpty)
        #expect(try await destination.metadata.artifacts().allSatisfy { !$0.name.hasPrefix("measured::") })
        for run in before {
            #expect(try await destination.metadata.run(id: run.id) != nil, "run '\(run.name)', copied before it, stays")
        }

        _ = try await destination.metadata.deleteRun(id: other.id)
        let finished = try await source.stack.copyHistory(to: destination)
        #expect(finished.copiedRuns.first == blocked.name && finished.presentRunCount == before.count)
        #expect(try await StoreAnswers.read(destination) == (try await StoreAnswers.read(source.stack)))
    }

    @Test("a version number the destination gives another version of the artifact stops the copy, naming it", arguments: StoreKind.allCases)
    func numberConflict(kind: StoreKind) async throws {
        let source = try await SourceHistory.make()
        defer { source.store.remove() }
        let (destination, cleanup) = try await makeDestination(kind)
        defer { cleanup() }
        try await destination.saveArtifact([9.0] as [Double], name: "numbers")
        let error = await #expect(throws: CairnError.self) { try await source.stack.copyHistory(to: destination) }
        #expect(error?.description.hasPrefix(
            "cannot copy artifact version 'numbers:1' from stack 'local' to stack 'team': another version of artifact 'numbers' there is numbered 1. "
                + "Nothing of it was written there. Stack 'team' numbers versions of 'numbers' of its own: copy into a store that has none") == true,
            "\(String(describing: error))")
        #expect(try await destination.metadata.artifactVersions(named: "numbers").count == 1)
        #expect(try await destination.metadata.counts().runs == 0)
    }

    @Test("a run referring to a step run the store lacks is refused whole", arguments: StoreKind.allCases)
    func partialRunRefused(kind: StoreKind) async throws {
        let source = try await SourceHistory.make()
        defer { source.store.remove() }
        let (destination, cleanup) = try await makeDestination(kind)
        defer { cleanup() }
        let importer = destination.metadata
        let dependent = try await source.stack.metadata.history(of: source.dependent, pipelineCreatedAt: source.dependent.startedAt)
        #expect(dependent.externalStepRunIDs.count == 1 && dependent.externalArtifactVersionIDs.count == 1)
        let error = await #expect(throws: CairnError.self) { _ = try await importer.importRun(dependent) }
        #expect(error?.description.contains("cannot import run 'dependent' into ") == true, "\(String(describing: error))")
        #expect(try await destination.metadata.run(id: source.dependent.id) == nil)
        #expect(try await destination.metadata.counts() == StoreCounts())

        let dependency = try await source.stack.metadata.history(of: source.dependency, pipelineCreatedAt: source.dependency.startedAt)
        #expect(try await importer.importRun(dependency))
        #expect(try await importer.importRun(dependent))
        #expect(try await importer.importRun(dependent) == false, "a run there already is left as it is")
        #expect(try await destination.metadata.counts() == StoreCounts(pipelines: 1, runs: 2, stepRuns: 2, artifacts: 1, artifactVersions: 1))
    }

    @Test("a run whose process is gone, and a run resumed since it was copied, are skipped saying why")
    func skippedRuns() async throws {
        let source = try TemporaryStore()
        defer { source.remove() }
        let (destination, cleanup) = try await makeDestination(.sqlite)
        defer { cleanup() }
        let metadata = source.stack.metadata
        func start(_ name: String, at seconds: Double) async throws -> RunRecord {
            try await metadata.createRun(NewRun(
                name: name, pipelineName: "by_hand", configuration: "{}", graph: PipelineGraph(),
                startedAt: Date(timeIntervalSince1970: 1_700_000_000 + seconds), host: "elsewhere", processID: 7))
        }
        let abandoned = try await start("abandoned", at: 0)
        let resumed = try await start("resumed", at: 10)
        try await metadata.finishRun(
            id: resumed.id, status: .failed, error: "boom", outputs: [:], at: Date(timeIntervalSince1970: 1_700_000_011), owner: RunOwner(of: resumed))
        let gone = "it is marked running, but its process is gone (process 7 on elsewhere); copy again once it is marked failed "
            + "(cairn runs list --stack local does it) or resumed"
        let first = try await source.stack.copyHistory(to: destination)
        #expect(first.copiedRuns == ["resumed"])
        #expect(first.skippedRuns == [HistoryCopyReport.SkippedRun(id: abandoned.id, name: "abandoned", reason: gone)])

        try await metadata.resumeRun(id: resumed.id, graph: PipelineGraph(), at: Date())
        try await metadata.finishRun(id: resumed.id, status: .completed, error: nil, outputs: [:], at: Date(), owner: .current)
        let second = try await source.stack.copyHistory(to: destination)
        #expect(second.copiedRuns.isEmpty && second.presentRunCount == 0)
        #expect(second.skippedRuns.map(\.reason) == [
            gone,
            "it changed in stack 'local' (it was resumed) after it was copied: stack 'team' holds it as it was then; to copy it again, "
                + "delete it there first (cairn runs delete resumed --stack team)",
        ])
        #expect(try await destination.metadata.run(id: resumed.id)?.status == .failed)

        // Two runs that reuse each other's outputs, as a run resumed after another reused its own does.
        let mutualA = try await start("mutual-a", at: 20)
        let mutualB = try await start("mutual-b", at: 30)
        func output(_ name: String) -> NewArtifactVersion {
            NewArtifactVersion(outputName: "output", name: name, digest: "d", typeName: "T", serializer: "cairn.json", serializerVersion: 1, size: 1)
        }
        func step(_ run: RunRecord, _ invocation: String, cachedFrom source: StepRunRecord? = nil, reusing version: ArtifactVersionRecord? = nil)
            async throws -> StepRunRecord
        {
            try await metadata.createStepRun(NewStepRun(
                runID: run.id, invocation: invocation, stepName: invocation, status: source == nil ? .running : .cached, startedAt: Date(),
                cachedFrom: source?.id, reusedOutputs: version.map { ["output": $0.id] } ?? [:]))
        }
        let made = try await step(mutualA, "a1")
        let versionA = try await metadata.finishStepRun(id: made.id, outcome: .completed(outputs: [output("a")]), at: Date())[0]
        _ = try await step(mutualB, "b1", cachedFrom: made, reusing: versionA)
        let remade = try await step(mutualB, "b2")
        let versionB = try await metadata.finishStepRun(id: remade.id, outcome: .completed(outputs: [output("b")]), at: Date())[0]
        _ = try await step(mutualA, "a2", cachedFrom: remade, reusing: versionB)
        for run in [mutualA, mutualB] {
            try await metadata.finishRun(id: run.id, status: .completed, error: nil, outputs: [:], at: Date(), owner: RunOwner(of: run))
        }
        let third = try await source.stack.copyHistory(to: destination)
        #expect(third.skippedRuns.map(\.name) == ["abandoned", "resumed", "mutual-b", "mutual-a"])
        #expect(third.skippedRuns.last?.reason.hasSuffix("it uses outputs of runs that use its own, and a copy imports one run at a time") == true)
    }

    @Test("into a stack that shares the artifact store no bytes are copied")
    func sharedArtifactStore() async throws {
        let source = try await SourceHistory.make()
        defer { source.store.remove() }
        let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-copy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = Stack(
            metadata: try SQLiteMetadataStore(path: folder.appending(path: "metadata.sqlite").path), artifacts: source.stack.artifacts,
            orchestrator: InProcessOrchestrator())
        let report = try await source.stack.copyHistory(to: destination)
        #expect(report.destination == "destination")
        #expect(report.copiedObjectCount == 0 && report.copiedBytes == 0 && report.presentObjectCount > 0)
        #expect(report.copiedRuns.count == 5)
    }

    @Test("a version whose bytes are missing in the source is copied marked unusable", arguments: [ObjectDamage.deleted, .flipped])
    func missingBytes(damage: ObjectDamage) async throws {
        let source = try await SourceHistory.make()
        defer { source.store.remove() }
        let (destination, cleanup) = try await makeDestination(.sqlite)
        defer { cleanup() }
        let numbers = try #require(try await source.stack.metadata.artifactVersion(named: "numbers", version: 1))
        try damage.apply(to: URL(filePath: source.stack.artifacts.location(of: numbers.digest)))
        let report = try await source.stack.copyHistory(to: destination)
        #expect(report.missingObjects.map(\.digest) == [numbers.digest])
        let copy = try #require(try await destination.metadata.artifactVersion(id: numbers.id))
        let problem = try #require(damage == .deleted ? ArtifactCondition.missing.problem : report.missingObjects.first?.problem)
        #expect(copy.unusableReason == "when it was copied from stack 'local', \(problem)")
        #expect(try await destination.artifacts.contains(numbers.digest) == false)
    }
}
