public import CairnCore
import Foundation

/// A run's recorded graph with the status of each step, drawn as Graphviz DOT or Mermaid (and by
/// `cairn runs dag` as text).
public struct RunGraph: Encodable, Sendable {
    /// A step invocation with its status.
    public struct Node: Encodable, Sendable {
        /// The invocation's name.
        public var invocation: String
        /// The step it calls.
        public var step: String
        /// The latest step run's status as shown (``ShownStatus``), or `pending` when the step has not started.
        public var status: String
        /// The invocations it waits for.
        public var upstream: [String]
    }

    /// A dependency between two invocations.
    public struct Edge: Encodable, Sendable {
        /// The invocation that produces.
        public var from: String
        /// The invocation that waits.
        public var to: String
        /// The outputs passed, as `output → input`; empty for an ordering-only edge (`.after`).
        public var labels: [String]
    }

    public var run: String
    /// The steps, in the order of the run's graph.
    public var nodes: [Node]
    /// The dependencies.
    public var edges: [Edge]

    /// The graph of `run`, with the latest status of each invocation among `stepRuns`.
    public init(run: RunRecord, stepRuns: [StepRunRecord]) {
        let runIsAbandoned = ShownStatus(of: run) == .abandoned
        var status: [String: ShownStatus] = [:]
        for stepRun in stepRuns { status[stepRun.invocation] = ShownStatus(stepRun.status, runIsAbandoned: runIsAbandoned) }
        self.run = run.name
        nodes = run.graph.nodes.map { node in
            Node(invocation: node.invocation, step: node.step, status: status[node.invocation]?.name ?? "pending", upstream: node.upstream)
        }
        edges = run.graph.nodes.flatMap { node in
            var labels: [String: [String]] = [:]
            var order: [String] = []
            func visit(_ binding: InputBinding, input: String) {
                switch binding {
                case .output(let invocation, let output):
                    if labels[invocation] == nil { order.append(invocation) }
                    let label = "\(output) → \(input)"
                    if !labels[invocation, default: []].contains(label) { labels[invocation, default: []].append(label) }
                case .constant:
                    break
                case .list(let elements):
                    for element in elements { visit(element, input: input) }
                }
            }
            for input in node.inputs { visit(input.binding, input: input.name) }
            for invocation in node.after where labels[invocation] == nil {
                order.append(invocation)
                labels[invocation] = []
            }
            return order.map { Edge(from: $0, to: node.invocation, labels: labels[$0] ?? []) }
        }
    }

    // MARK: - Drawing

    /// Graphviz DOT: `cairn runs dag RUN --format dot | dot -Tsvg > run.svg`.
    public func dot() -> String {
        var lines = [
            "digraph \(quoted(run)) {",
            "    rankdir=TB;",
            "    node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];",
            "    edge [fontname=\"Helvetica\", fontsize=10];",
        ]
        for node in nodes {
            lines.append("    \(quoted(node.invocation)) [label=\(quoted("\(node.invocation)\n\(node.status)")), fillcolor=\"\(Self.fill(node.status))\"];")
        }
        for edge in edges {
            let attributes = edge.labels.isEmpty ? " [style=dashed]" : " [label=\(quoted(edge.labels.joined(separator: "\n")))]"
            lines.append("    \(quoted(edge.from)) -> \(quoted(edge.to))\(attributes);")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Mermaid flowchart, which GitHub and many editors draw from a ```mermaid block.
    public func mermaid() -> String {
        let identifiers = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.invocation, "n\($0)") })
        var lines = ["flowchart TD"]
        for node in nodes {
            let identifier = identifiers[node.invocation]!
            lines.append("    \(identifier)[\"\(escaped(node.invocation))<br/>\(node.status)\"]:::\(node.status)")
        }
        for edge in edges {
            guard let from = identifiers[edge.from], let to = identifiers[edge.to] else { continue }
            lines.append(
                edge.labels.isEmpty
                    ? "    \(from) -.-> \(to)"
                    : "    \(from) -->|\"\(escaped(edge.labels.joined(separator: ", ")))\"| \(to)")
        }
        var seen = Set<String>()
        for node in nodes where seen.insert(node.status).inserted {
            lines.append("    classDef \(node.status) fill:\(Self.fill(node.status)),stroke:\(Self.stroke(node.status))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    private func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "#quot;")
    }

    private static func fill(_ status: String) -> String {
        switch status {
        case "completed": "#c8e6c9"
        case "cached": "#b3e5fc"
        case "failed", "abandoned": "#ffcdd2"
        case "running", "initializing", "retrying": "#fff9c4"
        default: "#eeeeee"
        }
    }

    private static func stroke(_ status: String) -> String {
        switch status {
        case "completed": "#2e7d32"
        case "cached": "#0277bd"
        case "failed", "abandoned": "#c62828"
        case "running", "initializing", "retrying": "#f9a825"
        default: "#9e9e9e"
        }
    }
}
