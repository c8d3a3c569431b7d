import CairnCore
import Testing

@Suite("Names")
struct NamesTests {
    @Test("ordinary names are accepted", arguments: ["train", "train_2", "iris-training.v1", "A9"])
    func accepted(name: String) throws {
        try Names.validate(name, kind: "step")
    }

    @Test("hostile names are refused with the reason", arguments: [
        ("../escape", "a name cannot contain '..'"),
        ("a/b", "'/' is not allowed; use letters, digits, '_', '-', '.'"),
        ("nul\u{0}byte", "U+0000 is not allowed; use letters, digits, '_', '-', '.'"),
        ("", "a name cannot be empty"),
        (String(repeating: "x", count: 201), "a name is at most 200 characters long"),
        ("cafe\u{301}", "'\u{301}' is not allowed; use letters, digits, '_', '-', '.'"),
    ])
    func refused(name: String, reason: String) {
        #expect(throws: CairnError.invalidName(kind: "step", name: name, reason: reason)) { try Names.validate(name, kind: "step") }
    }

    @Test("artifact names may hold ':', step names may not")
    func colon() throws {
        try Names.validate("pipeline::step::output", kind: "artifact", allowColon: true)
        #expect(throws: CairnError.self) { try Names.validate("a::b", kind: "step") }
    }
}
