import Cairn
import CairnTesting
import Foundation
import Testing

/// A report whose serializer also renders it as Markdown.
struct Report: ArtifactSerializable, Equatable {
    var title: String
    static var artifactSerializer: ReportSerializer { ReportSerializer() }
}

struct ReportSerializer: ArtifactSerializer {
    var identifier: String { "test.report" }
    func write(_ value: Report, to writer: any ByteWriter) throws { try writer.write(Data(value.title.utf8)) }
    func read(from reader: any ByteReader) throws -> Report { Report(title: String(decoding: try reader.readToEnd(), as: UTF8.self)) }
    func visualizations(for value: Report) -> [Visualization] { [Visualization(kind: .markdown, data: Array("# \(value.title)".utf8))] }
}

@Step
func measure(values: [Double]) -> (mean: Double, report: Report) {
    StepContext.current?.log(metadata: ["epochs": 3])
    StepContext.current?.log(runMetadata: ["dataset": "iris"])
    StepContext.current?.log(metadata: ["unit": "cm"], forOutput: "mean")
    return (values.reduce(0, +) / Double(values.count), Report(title: "Mean"))
}

@Suite("Artifact names, metadata and visualizations", .timeLimit(.minutes(1)))
struct MetadataTests {
    @Test("automatic metadata per type, user metadata on step run, run and output, and visualizations")
    func metadata() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = Pipeline("measured") { _ = measureStep(values: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]) }
        let result = try await pipeline.run(on: store.stack)
        let metadata = store.stack.metadata
        let step = try #require(try await result.step("measure"))
        #expect(try await metadata.metadata(of: .stepRun(id: step.id)) == ["epochs": 3])
        #expect(try await metadata.metadata(of: .run(id: result.run.id)) == ["dataset": "iris"])
        let outputs = Dictionary(uniqueKeysWithValues: try await metadata.outputs(ofStepRun: step.id).map { ($0.name, $0.artifact) })
        let mean = try #require(outputs["mean"])
        #expect(try await metadata.metadata(of: .artifactVersion(id: mean.id)) == ["unit": "cm", "storage_size": 3, "preview": "3.5"])
        let report = try #require(outputs["report"])
        let visualizations = try await metadata.visualizations(ofArtifactVersion: report.id)
        #expect(visualizations.map(\.kind) == [.markdown])
        let markdown = try await store.stack.artifacts.load(try #require(visualizations.first).digest) { try $0.readToEnd() }
        #expect(String(decoding: markdown, as: UTF8.self) == "# Mean")
        let numbers = try await store.stack.saveArtifact([1.5, 2.5, 3.5, 4.5, 5.5, 6.5] as [Double], name: "numbers")
        let described = try await metadata.metadata(of: .artifactVersion(id: numbers.id))
        #expect(described["count"] == 6 && described["shape"] == [6] && described["dtype"] == "<f8")
        #expect(described["preview"] == "[1.5, 2.5, 3.5, 4.5, 5.5, …]")
    }

    @Test("automatic metadata can be switched off; user metadata is still recorded")
    func switchedOff() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = Pipeline("plain", options: PipelineOptions(enableArtifactMetadata: false)) { _ = measureStep(values: [1.0]) }
        let step = try #require(try await pipeline.run(on: store.stack).step("measure"))
        let mean = try #require(try await store.stack.metadata.outputs(ofStepRun: step.id).first { $0.name == "mean" })
        #expect(try await store.stack.metadata.metadata(of: .artifactVersion(id: mean.artifact.id)) == ["unit": "cm"])
    }

    @Test("custom artifact names expand placeholders; versions count up and latest resolves")
    func customNames() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let named = constantStep.withOptions { $0.artifactNames = ["output": "{pipeline}_answer_{output}"] }
        let pipeline = Pipeline("naming", options: PipelineOptions(enableCache: false)) { _ = named(value: 42) }
        try await pipeline.run(on: store.stack)
        try await pipeline.run(on: store.stack)
        #expect(try await store.stack.metadata.artifactVersions(named: "naming_answer_output").map(\.version) == [1, 2])
        #expect(try await store.stack.loadArtifact("naming_answer_output", as: Int.self) == 42)
        let hostile = constantStep.withOptions { $0.artifactNames = ["output": "../{pipeline}"] }
        let error = await #expect(throws: CairnError.self) { try await Pipeline("hostile") { _ = hostile(value: 1) }.run(on: store.stack) }
        #expect(error?.description.contains("invalid artifact name \"../hostile\"") == true)
    }

    @Test("artifacts are saved and loaded outside pipelines, by name and version")
    func saveAndLoad() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        try await store.stack.saveArtifact(Model(weight: 1), name: "model", metadata: ["stage": "draft"])
        let second = try await store.stack.saveArtifact(Model(weight: 2), name: "model")
        #expect(second.version == 2 && second.producerStepRunID == nil)
        #expect(try await store.stack.loadArtifact("model", as: Model.self) == Model(weight: 2))
        #expect(try await store.stack.loadArtifact("model", version: 1, as: Model.self) == Model(weight: 1))
        await #expect(throws: CairnError.notFound(kind: "artifact", name: "model:3", suggestion: nil)) {
            _ = try await store.stack.loadArtifact("model", version: 3, as: Model.self)
        }
        let wrongType = await #expect(throws: CairnError.self) { _ = try await store.stack.loadArtifact("model", as: String.self) }
        #expect(wrongType?.description.contains("stored as cairn.json") == true)
    }
}
