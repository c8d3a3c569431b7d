/// One step invocation in a pipeline's graph.
public struct PipelineNode: Codable, Hashable, Sendable {
    /// The invocation's unique name in the pipeline.
    public var invocation: String
    /// The name of the step it calls.
    public var step: String
    /// The step's code fingerprint.
    public var fingerprint: String
    /// Each input's name and where its value comes from, in declaration order.
    public var inputs: [NamedBinding]
    /// Invocations this one runs after without taking data from them.
    public var after: [String]

    /// Every invocation this one waits for: data dependencies first, then `after`, without repeats.
    public var upstream: [String] {
        var seen = Set<String>()
        return (inputs.flatMap(\.binding.upstreamInvocations) + after).filter { seen.insert($0).inserted }
    }

    /// The inputs that are plain values (parameters), as a name-to-JSON dictionary.
    public var parameters: [String: String] {
        var parameters: [String: String] = [:]
        for input in inputs where input.binding.isParameter {
            if case .constant(let json) = input.binding { parameters[input.name] = json }
        }
        return parameters
    }

    /// A SHA-256 digest of the node's canonical JSON: equal nodes have equal digests.
    public var digest: String {
        CanonicalJSON.digest(ofText: canonicalJSON)
    }
}

/// An input's name with its binding.
public struct NamedBinding: Codable, Hashable, Sendable {
    /// The input's name.
    public var name: String
    /// Where the input's value comes from.
    public var binding: InputBinding

    /// Pairs a name with a binding.
    public init(name: String, binding: InputBinding) {
        self.name = name
        self.binding = binding
    }
}
