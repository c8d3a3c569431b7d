import Foundation

/// Labelled values, one per line, with the values aligned:
///
/// ```
/// Run       diamond-1
/// Pipeline  diamond
/// ```
struct Fields {
    /// The labels and values, in order.
    var entries: [(label: String, value: Table.Cell)] = []

    /// Adds a line.
    mutating func append(_ label: String, _ value: String, _ style: TextStyle? = nil) {
        entries.append((label, Table.Cell(value, style)))
    }

    /// The lines, each ending in a line break.
    func render(color: Bool, indent: String = "") -> String {
        let width = entries.map(\.label.count).max() ?? 0
        return entries.map { entry in
            let label = entry.label.padding(toLength: width, withPad: " ", startingAt: 0)
            let value = color ? (entry.value.style?.apply(to: entry.value.text) ?? entry.value.text) : entry.value.text
            return indent + label + "  " + value + "\n"
        }.joined()
    }
}
