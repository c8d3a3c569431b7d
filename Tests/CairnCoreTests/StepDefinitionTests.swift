import CairnCore
import Testing

@Suite("Step definitions", .timeLimit(.minutes(1)))
struct StepDefinitionTests {
    @Test("a definition is a value: changing a copy, even one that shares its storage, leaves the original untouched")
    func valueSemantics() async throws {
        let original = StepDefinition(
            name: "train", fingerprint: "f1", inputs: [], outputs: [], options: StepOptions(environment: ["A": "1"])
        ) { _ in ["trained"] }
        var copy = original
        copy.options.environment["B"] = "2"
        copy.invocationName = "train_fast"
        copy.problems.append("a problem")
        var second = copy
        second.name = "fit"

        #expect(original.options.environment == ["A": "1"])
        #expect(original.invocationName == nil && original.problems.isEmpty && original.name == "train")
        #expect(copy.options.environment == ["A": "1", "B": "2"] && copy.invocationName == "train_fast" && copy.name == "train")
        #expect(second.name == "fit" && second.problems == ["a problem"])
        #expect(try await second.body(StepArguments([])).first as? String == "trained", "copies keep the body")
    }
}
