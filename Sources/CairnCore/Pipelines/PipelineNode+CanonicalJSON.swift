extension PipelineNode {
    /// The node's canonical JSON, the same text as ``CanonicalJSON/string(encoding:)-(Encodable)`` gives.
    ///
    /// Written with `CanonicalJSONWriter` rather than encoded: every run stores each node of its
    /// graph, and a dynamic run's graph may have a hundred thousand. Members are written in the
    /// order of their keys, in the shapes the synthesized `Encodable` conformances give.
    public var canonicalJSON: String {
        CanonicalJSONWriter.text { write(to: &$0) }
    }

    /// Writes the node as its `Encodable` conformance encodes it.
    private func write(to json: inout CanonicalJSONWriter) {
        json.beginObject()
        json.key("after")
        json.array(after)
        json.key("fingerprint")
        json.string(fingerprint)
        json.key("inputs")
        json.beginArray()
        for input in inputs {
            json.beginObject()
            json.key("binding")
            input.binding.write(to: &json)
            json.key("name")
            json.string(input.name)
            json.endObject()
        }
        json.endArray()
        json.key("invocation")
        json.string(invocation)
        json.key("step")
        json.string(step)
        json.endObject()
    }
}

extension InputBinding {
    /// Writes the binding as its `Encodable` conformance encodes it: an object whose one key names
    /// the case, holding an object of the case's values by label (`_0` when unlabelled).
    fileprivate func write(to json: inout CanonicalJSONWriter) {
        json.beginObject()
        switch self {
        case .constant(let text):
            json.key("constant")
            json.beginObject()
            json.key("json")
            json.string(text)
            json.endObject()
        case .list(let elements):
            json.key("list")
            json.beginObject()
            json.key("_0")
            json.beginArray()
            for element in elements { element.write(to: &json) }
            json.endArray()
            json.endObject()
        case .output(let invocation, let output):
            json.key("output")
            json.beginObject()
            json.key("invocation")
            json.string(invocation)
            json.key("output")
            json.string(output)
            json.endObject()
        }
        json.endObject()
    }
}
