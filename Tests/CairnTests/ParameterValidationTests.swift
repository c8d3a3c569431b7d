import Cairn
import CairnTesting
import Foundation
import Testing

/// Parameters that refuse a negative size.
struct SizedParameters: ValidatableParameters {
    var size = 3

    func validate() throws {
        guard size >= 0 else { throw ParameterProblem("size must be 0 or more, found \(size)") }
    }
}

@Suite("Parameter validation", .timeLimit(.minutes(2)))
struct ParameterValidationTests {
    static let refusal = CairnError.invalidParameters(pipeline: "sized", reason: "size must be 0 or more, found -1")

    @Test("a static pipeline's parameters are validated before anything runs or is recorded")
    func staticPipeline() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = Pipeline("sized", parameters: SizedParameters()) { parameters in
            return ["dataset": makeDatasetStep(size: parameters.size)]
        }
        await #expect(throws: Self.refusal) { try await pipeline.run(SizedParameters(size: -1), on: store.stack) }
        #expect(throws: Self.refusal) { try pipeline.compile(parameterOverrides: ["size": -1]) }
        #expect(try await store.stack.metadata.runs(RunQuery()).isEmpty)
        #expect(try await pipeline.run(on: store.stack).run.status == .completed)
        #expect(Self.refusal.description == "invalid parameters for pipeline 'sized': size must be 0 or more, found -1")
    }

    @Test("a dynamic pipeline's parameters are validated before its body runs")
    func dynamicPipeline() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = DynamicPipeline("sized", parameters: SizedParameters()) { parameters in
            return ["dataset": makeDatasetStep(size: parameters.size)]
        }
        await #expect(throws: Self.refusal) { try await pipeline.run(SizedParameters(size: -1), on: store.stack) }
        #expect(try await store.stack.metadata.runs(RunQuery()).isEmpty)
        #expect(try await pipeline.run(on: store.stack).run.status == .completed)
    }
}
