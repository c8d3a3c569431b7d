import CairnCore
import Foundation
import Testing

/// Runs store each node of their graph as canonical JSON written by hand; it must be the encoder's
/// text, byte for byte.
@Suite("Pipeline node JSON")
struct PipelineNodeJSONTests {
    /// A graph decoded from the JSON of `nodes`, so that any names and bindings can be given.
    static func graph(_ nodes: [JSONValue]) throws -> PipelineGraph {
        try CanonicalJSON.decode(PipelineGraph.self, from: CanonicalJSON.string(encoding: JSONValue.object(["nodes": .array(nodes)])))
    }

    static func node(_ name: String, step: String? = nil, fingerprint: String = "f00d", inputs: [(String, JSONValue)] = [], after: [String] = []) -> JSONValue {
        .object([
            "invocation": .string(name), "step": .string(step ?? name), "fingerprint": .string(fingerprint),
            "inputs": .array(inputs.map { .object(["name": .string($0.0), "binding": $0.1]) }), "after": .array(after.map(JSONValue.string)),
        ])
    }

    static func output(_ invocation: String, _ output: String) -> JSONValue {
        .object(["output": .object(["invocation": .string(invocation), "output": .string(output)])])
    }

    static func constant(_ json: String) -> JSONValue {
        .object(["constant": .object(["json": .string(json)])])
    }

    static func list(_ elements: [JSONValue]) -> JSONValue {
        .object(["list": .object(["_0": .array(elements)])])
    }

    func expectEncoderText(_ graph: PipelineGraph, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        for node in graph.nodes {
            #expect(try Array(node.canonicalJSON.utf8) == Array(CanonicalJSON.string(encoding: node).utf8), sourceLocation: sourceLocation)
        }
    }

    @Test("a chain")
    func plain() throws {
        try expectEncoderText(Self.graph([
            Self.node("load", inputs: [("path", Self.constant(#""data/iris.csv""#))]),
            Self.node("train", inputs: [("data", Self.output("load", "data")), ("rate", Self.constant("0.5"))]),
            Self.node("report", inputs: [("model", Self.output("train", "model"))], after: ["load"]),
        ]))
    }

    @Test("every kind of binding, nested lists, and tricky names and values")
    func tricky() throws {
        var nodes: [JSONValue] = []
        for (index, text) in (CacheKeyIngredientsTests.trickyStrings + CacheKeyIngredientsTests.trickyKeys).enumerated() {
            nodes.append(Self.node(
                "\(text)_\(index)", step: text, fingerprint: text,
                inputs: [
                    (text, Self.constant(CanonicalJSON.string(encoding: JSONValue.string(text)))),
                    ("list", Self.list([Self.output(text, text), Self.constant("[1,2]"), Self.list([]), Self.list([Self.constant(text)])])),
                    ("empty", Self.list([])),
                ],
                after: [text, ""]))
        }
        try expectEncoderText(Self.graph(nodes))
    }
}
