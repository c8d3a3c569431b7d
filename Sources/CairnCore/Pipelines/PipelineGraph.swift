import Foundation

/// A pipeline's DAG: its step invocations in the order they were called, with their data edges.
///
/// Every edge points from an earlier invocation to a later one, because a handle exists only once
/// its step has been called; the order of ``nodes`` is therefore a topological order.
public struct PipelineGraph: Codable, Hashable, Sendable {
    /// The invocations, in call order.
    public private(set) var nodes: [PipelineNode]
    private var indexByInvocation: [String: Int]

    /// Makes a graph from nodes in call order.
    public init(nodes: [PipelineNode] = []) {
        self.nodes = []
        self.indexByInvocation = [:]
        for node in nodes { append(node) }
    }

    /// Adds a node at the end.
    public mutating func append(_ node: PipelineNode) {
        indexByInvocation[node.invocation] = nodes.count
        nodes.append(node)
    }

    /// The node for an invocation.
    public func node(_ invocation: String) -> PipelineNode? {
        indexByInvocation[invocation].map { nodes[$0] }
    }

    /// Whether an invocation of this name exists.
    public func contains(_ invocation: String) -> Bool {
        indexByInvocation[invocation] != nil
    }

    /// The invocations that wait directly for `invocation`.
    public func downstream(of invocation: String) -> [String] {
        nodes.filter { $0.upstream.contains(invocation) }.map(\.invocation)
    }

    /// A SHA-256 digest of the graph's canonical JSON: equal graphs have equal digests.
    public var digest: String {
        // The text encoding `nodes` gives, written by hand (see ``PipelineNode/canonicalJSON``).
        CanonicalJSON.digest(ofText: "[" + nodes.map(\.canonicalJSON).joined(separator: ",") + "]")
    }

    enum CodingKeys: String, CodingKey { case nodes }

    /// Decodes a graph from its nodes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(nodes: try container.decode([PipelineNode].self, forKey: .nodes))
    }

    /// Encodes the graph as its nodes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(nodes, forKey: .nodes)
    }
}
