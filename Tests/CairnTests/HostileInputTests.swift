import Cairn
import CairnFixturePipelines
import CairnSQLite
import CairnTesting
import Foundation
import GRDB
import Testing

/// A value whose serializer fails halfway through writing it, as a full disk would.
struct HalfWritten: ArtifactSerializable, Sendable {
    struct Serializer: ArtifactSerializer {
        var identifier: String { "test.half-written" }
        func write(_ value: HalfWritten, to writer: any ByteWriter) throws {
            try writer.write(Data(repeating: 1, count: 1 << 20))
            throw CairnError.store("no space left on device (simulated)")
        }
        func read(from reader: any ByteReader) throws -> HalfWritten { HalfWritten() }
        func metadata(for value: HalfWritten) -> [String: JSONValue] { [:] }
        func visualizations(for value: HalfWritten) -> [Visualization] { [] }
    }

    static var artifactSerializer: Serializer { Serializer() }
}

@Step
func writeHalf(size: Int) -> HalfWritten {
    HalfWritten()
}

/// Hostile and malformed input: each is refused with an error that says what is wrong, and leaves the
/// store exactly as it was (every row of every table, every artifact file).
@Suite("Hostile and malformed input", .timeLimit(.minutes(2)))
struct HostileInputTests {
    /// A store holding a run, a pipeline, a step and an artifact all named "model", so that a name
    /// normalising to "model" would collide with each.
    static func populatedStore(orchestrator: any Orchestrator = InProcessOrchestrator()) async throws -> TemporaryStore {
        let store = try TemporaryStore(orchestrator: orchestrator)
        let model = ClosureStep<Int, Int>("model", inputs: ["value"]) { $0 }
        try await Pipeline("model", options: PipelineOptions(runNameTemplate: "model")) { _ = model(1) }.run(on: store.stack)
        try await store.stack.saveArtifact([1.0, 2.0], name: "model")
        return store
    }

    static let hostileNames = [
        "../model", "models/../../etc", "a/b", "/etc/passwd", "nul\u{0}byte", String(repeating: "m", count: 201),
        "\u{FF4D}odel",  // a fullwidth m: NFKC makes it "model"
        "mode\u{301}l",  // a combining accent
    ]

    enum NameKind: String, CaseIterable {
        case artifact, run, step, pipeline
    }

    @Test("a hostile name of an artifact, run, step or pipeline is refused, naming the problem, and changes nothing",
          arguments: NameKind.allCases, hostileNames)
    func hostileName(kind: NameKind, name: String) async throws {
        let store = try await Self.populatedStore()
        defer { store.remove() }
        let before = try StoreSnapshot(of: store.home)
        let error = await #expect(throws: CairnError.self) {
            switch kind {
            case .artifact:
                try await store.stack.saveArtifact("value", name: name)
            case .run:
                try await Pipeline("named", options: PipelineOptions(runNameTemplate: name)) { _ = constantStep(value: 1) }.run(on: store.stack)
            case .step:
                let step = ClosureStep<Int, Int>(name, inputs: ["value"]) { $0 }
                try await Pipeline("steps") { _ = step(1) }.run(on: store.stack)
            case .pipeline:
                try await Pipeline(name) { _ = constantStep(value: 1) }.run(on: store.stack)
            }
        }
        #expect(error?.description.contains("invalid \(kind.rawValue) name \(name.debugDescription): ") == true, "\(String(describing: error))")
        #expect(try StoreSnapshot(of: store.home) == before)
    }

    @Test("a step renamed to a hostile name is refused before anything runs")
    func hostileInvocationName() async throws {
        let store = try await Self.populatedStore()
        defer { store.remove() }
        let before = try StoreSnapshot(of: store.home)
        let error = await #expect(throws: CairnError.self) {
            try await Pipeline("steps") { _ = constantStep.named("../model")(value: 1) }.run(on: store.stack)
        }
        #expect(error?.description == #"pipeline 'steps' is not valid: invalid step name "../model": a name cannot contain '..'"#)
        #expect(try StoreSnapshot(of: store.home) == before)
    }

    @Test(
        "the pipeline executable refuses malformed parameters and configuration files with a clear error, and runs nothing",
        arguments: [
            (["--param", "count"], #"invalid parameter "count": expected key=value, for example --param learning_rate=0.1"#),
            (["--param", "count=abc"], #"invalid parameter "count=abc": 'count' takes a number, like its default 5"#),
            (["--param", "fail=1"], #"invalid parameter "fail=1": 'fail' takes a boolean, like its default false"#),
            (["--param", "count=[1]"], #"invalid parameter "count=[1]": 'count' takes a number, like its default 5"#),
            (["--param", "cuont=3"], "pipeline 'diamond' is not valid: it has no parameter 'cuont'; its parameters are count, crash, fail, pauseMilliseconds"),
            (["--param", "../count=3"], "it has no parameter '../count'"),
            (["--param", "count=2.5"], "the parameters do not fit DiamondParameters: 'count' cannot hold 2.5, like its default 5"),
            (["--param", "count=1e30"], "the parameters do not fit DiamondParameters: 'count' cannot hold 1e+30, like its default 5"),
            (["--config", "malformed.yaml"], "malformed.yaml:3:1: malformed YAML: "),
            (["--config", "wrong-type.yaml"], "wrong-type.yaml:1:1: wrong type for enable_cache: expected true or false, found the text \"sometimes\""),
            (["--config", "wrong-parameter.yaml"], "wrong-parameter.yaml:2:3: wrong type for parameters.count: the parameters do not fit DiamondParameters: 'count' must be Int, found a string \"many\""),
            (["--config", "hostile-run-name.yaml"], #"invalid run name "../model": a name cannot contain '..'"#),
            (["--config", "missing.yaml"], "no configuration file named"),
        ])
    func malformedCommandLine(arguments: [String], message: String) async throws {
        let store = try await Self.populatedStore()
        defer { store.remove() }
        let files = [
            "malformed.yaml": "enable_cache: true\nsteps: [\n",
            "wrong-type.yaml": "enable_cache: sometimes\n",
            "wrong-parameter.yaml": "parameters:\n  count: many\n",
            "hostile-run-name.yaml": "run_name: \"../model\"\n",
        ]
        for (name, text) in files { try text.write(to: store.home.appending(path: name), atomically: true, encoding: .utf8) }
        let resolved = arguments.map { $0.hasSuffix(".yaml") ? store.home.appending(path: $0).path : $0 }
        let before = try StoreSnapshot(of: store.home)
        let (status, output) = try await FixtureExecutable.run(["run", "diamond"] + resolved + ["--store", store.home.path])
        #expect(status != 0)
        #expect(output.contains(message), "\(output)")
        #expect(try StoreSnapshot(of: store.home) == before)
    }

    @Test("a store written by a newer Cairn is refused by every command, and left as it was")
    func newerSchema() async throws {
        let store = try await Self.populatedStore()
        defer { store.remove() }
        try await DatabaseQueue(path: store.home.appending(path: "metadata.sqlite").path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        let before = try StoreSnapshot(of: store.home)
        for arguments in [["run", "diamond"], ["resume", "model"]] {
            let (status, output) = try await FixtureExecutable.run(arguments + ["--store", store.home.path])
            #expect(status != 0)
            #expect(output.contains("was written by a newer version of Cairn (schema v99-from-the-future); upgrade Cairn to open it"), "\(output)")
        }
        #expect(throws: CairnError.self) { try Stack.local(at: store.home) }
        #expect(try StoreSnapshot(of: store.home) == before)
    }

    @Test("a corrupted artifact file is reported as changed on disk when loaded, whatever its bytes now say; only its version is marked unusable",
          arguments: ["header", "data", "truncated"])
    func corruptedArtifact(damage: String) async throws {
        let store = try await Self.populatedStore()
        defer { store.remove() }
        let version = try await store.stack.saveArtifact((0..<1_000).map(Double.init), name: "numbers")
        let file = URL(filePath: store.stack.artifacts.location(of: version.digest))
        var bytes = try Data(contentsOf: file)
        switch damage {
        case "header":  // a shape whose size in bytes overflows, in a header of the same length
            let shape = try #require(bytes.firstRange(of: Data("(1000,)".utf8)))
            let huge = Data("(9223372036854775807,)".utf8)
            bytes.replaceSubrange(shape, with: huge)
            bytes.removeSubrange(127..<(127 + huge.count - shape.count))  // padding spaces before the header's "\n"
        case "data":
            bytes[bytes.count - 1] ^= 0xFF
        default:
            bytes.removeLast(8)
        }
        try bytes.write(to: file)
        let before = try StoreSnapshot(of: store.home)
        let error = await #expect(throws: CairnError.self) { _ = try await store.stack.loadArtifact("numbers", as: [Double].self) }
        guard case .unusableArtifact(let artifact, let origin, let reason)? = error else {
            Issue.record("expected an unusable artifact, got \(String(describing: error))")
            return
        }
        #expect(artifact == "numbers:1" && origin == nil)
        #expect(reason.hasPrefix("its bytes changed on disk: its bytes hash to "), "\(reason)")
        #expect(try await store.stack.metadata.artifactVersion(id: version.id)?.unusableReason == reason)
        #expect(try await StoreIntegrity.problems(in: store.stack).count == 1)
        try await store.stack.metadata.markArtifacts(digest: version.digest, unusableBecause: nil)
        #expect(try StoreSnapshot(of: store.home) == before, "nothing else changed")
    }

    @Test("a serializer that fails halfway, as on a full disk, fails its step with the reason and leaves no artifact")
    func failingSerializer() async throws {
        let store = try await Self.populatedStore()
        defer { store.remove() }
        let before = try StoreSnapshot(of: store.home)
        let result = try await PipelineRunner(stack: store.stack).run(try Pipeline("full") { _ = writeHalfStep(size: 1) }.compile())
        #expect(result.run.status == .failed)
        let writeHalf = try await result.step("writeHalf")
        #expect(writeHalf?.error?.contains("no space left on device (simulated)") == true, "\(writeHalf?.error ?? "")")
        #expect(try await store.stack.metadata.artifactVersions(named: "full::writeHalf::output").isEmpty)
        let after = try StoreSnapshot(of: store.home)
        #expect(after.files.keys.filter { $0.hasPrefix("/tmp/") }.isEmpty, "no temporary file left")
        #expect(after.files.filter { before.files[$0.key] == nil && $0.value >= 1 << 20 }.isEmpty, "no partial artifact")
        #expect(try await StoreIntegrity.problems(in: store.stack) == [])
    }

    @Test("a write that hits the file size limit, as on a full disk, fails its step with the reason and leaves no partial artifact")
    func fileSizeLimit() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        // 4 MiB: the database and the small artifacts fit, an 8 MB array does not. SIGXFSZ is
        // ignored (which exec keeps), so the write fails with EFBIG instead of killing the process.
        let command = "trap '' XFSZ; ulimit -f 4096; exec \"$0\" run large_artifacts --store \"$1\""
        let (status, output) = try await ChildProcess.run("/bin/bash", ["-c", command, FixtureExecutable.path, store.home.path])
        #expect(status != 0)
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        #expect(run.status == .failed)
        let failed = try await store.stack.metadata.stepRuns(runID: run.id).filter { $0.status == .failed }
        #expect(failed.map(\.invocation).sorted() == ["makeNoise", "makeNoise_2", "makeNoise_3"], "\(output)")
        #expect(failed.allSatisfy { $0.error?.contains("File too large") == true }, "\(failed.map(\.error))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.home.appending(path: "artifacts/tmp").path) == [])
        #expect(try await KillHarness.unfinishedObjects(in: store.home.appending(path: "artifacts"), stack: store.stack) == [])
        #expect(try await StoreIntegrity.problems(in: store.stack) == [])
    }
}
