import CairnCore
import CairnInspection

extension RunGraph {
    /// One line per step in running order, with what it waits for.
    func text(color: Bool) -> String {
        var table = Table(titles: ["STEP", "STATUS", "WAITS FOR"])
        for node in nodes {
            let style: TextStyle = node.status == ShownStatus.abandoned.name ? .red : ExecutionStatus(rawValue: node.status).map(TextStyle.of) ?? .dim
            table.append([
                Table.Cell(node.invocation), Table.Cell(node.status, style),
                Table.Cell(node.upstream.isEmpty ? "-" : node.upstream.joined(separator: ", ")),
            ])
        }
        return table.render(color: color)
    }
}
