import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

/// A value whose `Encodable` implementation throws, as a user's type may.
struct Unencodable: Codable, Sendable {
    var value = 1

    func encode(to encoder: any Encoder) throws {
        throw TestFailure(description: "Unencodable refuses to be encoded")
    }
}

/// Parameters that cannot be encoded.
struct UnencodableParameters: Codable, Sendable {
    var value = Unencodable()
}

@Step
func describeUnencodable(value: Unencodable) -> String {
    "\(value.value)"
}

@Step
func countUnencodable(values: [Unencodable]) -> Int {
    values.count
}

@Suite("Faults in a user's code are errors that say what is wrong", .timeLimit(.minutes(1)))
struct UserFaultTests {
    static let refusal = "a value of type CairnTests.Unencodable cannot be encoded as JSON: Unencodable refuses to be encoded"

    @Test("a constant that cannot be encoded fails the pipeline's compile and run, naming the step, the input and the type")
    func unencodableConstant() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = Pipeline("unencodable") {
            _ = describeUnencodableStep(value: .constant(Unencodable()))
        }
        let expected = CairnError.invalidPipeline(
            pipeline: "unencodable", reason: "input 'value' of step 'describeUnencodable': \(Self.refusal)")
        #expect(throws: expected) { try pipeline.compile() }
        await #expect(throws: expected) { try await pipeline.run(on: store.stack) }
        #expect(try await store.stack.metadata.runs(RunQuery()).isEmpty, "nothing ran")
    }

    @Test("in a dynamic pipeline, the call given a constant that cannot be encoded fails, and so does the run")
    func unencodableConstantInDynamicPipeline() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = DynamicPipeline("unencodable_dynamic") {
            _ = describeUnencodableStep(value: .constant(Unencodable()))
        }
        let error = await #expect(throws: CairnError.self) { try await pipeline.run(on: store.stack) }
        #expect(error.map { "\($0)" }?.contains("input 'value' of step 'describeUnencodable': \(Self.refusal)") == true, "\(String(describing: error))")
    }

    @Test("a constant that cannot be encoded, in an array literal, is reported too")
    func unencodableInList() {
        let pipeline = Pipeline("unencodable_list") {
            _ = countUnencodableStep(values: [.constant(Unencodable()), .constant(Unencodable())])
        }
        #expect(throws: CairnError.invalidPipeline(
            pipeline: "unencodable_list", reason: "input 'values' of step 'countUnencodable': \(Self.refusal)")) { try pipeline.compile() }
    }

    @Test("parameters that cannot be encoded fail the compile, naming their type")
    func unencodableParameters() {
        let pipeline = Pipeline("unencodable_parameters", parameters: UnencodableParameters()) { _ in }
        #expect(throws: CairnError.notEncodable(type: "CairnTests.UnencodableParameters", reason: "Unencodable refuses to be encoded")) {
            try pipeline.compile()
        }
    }

    @Test("an unknown output of a run suggests the closest name, not the first")
    func outputSuggestion() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let result = try await FixturePipelines.diamond.run(on: store.stack)
        #expect(result.run.outputs.keys.sorted() == ["checked", "measurements", "text"])
        await #expect(throws: CairnError.notFound(kind: "output of run '\(result.run.name)'", name: "measurement", suggestion: "measurements")) {
            _ = try await result.output("measurement", as: [BranchSummary].self)
        }
    }

    @Test("running one step of a run by a mistyped name, or with the run's pipeline missing, suggests the closest name")
    func stepProcessSuggestions() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let result = try await FixturePipelines.diamond.run(on: store.stack)
        #expect(result.run.graph.nodes.map(\.invocation).prefix(2) == ["makeNumbers", "scale"])
        await #expect(throws: CairnError.notFound(kind: "step in run '\(result.run.name)'", name: "scael", suggestion: "scale")) {
            try await StepProcess.run(run: result.run.id, invocation: "scael", pipelines: [FixturePipelines.diamond], stack: store.stack)
        }
        var renamed = FixturePipelines.diamond
        renamed.name = "diamonds"
        await #expect(throws: CairnError.notFound(kind: "pipeline", name: "diamond", suggestion: "diamonds")) {
            try await StepProcess.run(run: result.run.id, invocation: "scale", pipelines: [FixturePipelines.environment, renamed], stack: store.stack)
        }
    }
}
