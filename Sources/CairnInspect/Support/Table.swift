/// A table of aligned columns, as the commands print them to people.
///
/// ```
/// NAME         STATUS     DURATION
/// diamond-1    completed    120 ms
/// ```
///
/// Columns are separated by two spaces; numbers are right-aligned. Colour, when on, is applied
/// after padding, so that escape codes never disturb the alignment.
struct Table {
    /// A cell's text and the style it is shown in on a terminal.
    struct Cell: ExpressibleByStringLiteral {
        var text: String
        var style: TextStyle?

        init(_ text: String, _ style: TextStyle? = nil) {
            self.text = text
            self.style = style
        }

        init(stringLiteral text: String) {
            self.init(text)
        }
    }

    /// The column titles.
    var titles: [String]
    /// The indexes of the columns aligned to the right.
    var rightAligned: Set<Int> = []
    /// The rows, each with one cell per column.
    var rows: [[Cell]] = []

    /// Adds a row.
    mutating func append(_ row: [Cell]) {
        rows.append(row)
    }

    /// The table as lines of text, header first, each ending in a line break and starting with `indent`.
    func render(color: Bool, indent: String = "") -> String {
        let widths = titles.indices.map { column in
            ([titles[column].count] + rows.map { $0[column].text.count }).max() ?? 0
        }
        func line(_ cells: [Cell]) -> String {
            var parts: [String] = []
            for (column, cell) in cells.enumerated() {
                let padding = String(repeating: " ", count: widths[column] - cell.text.count)
                let isLast = column == cells.count - 1
                let text = color ? (cell.style?.apply(to: cell.text) ?? cell.text) : cell.text
                if rightAligned.contains(column) {
                    parts.append(padding + text)
                } else {
                    parts.append(isLast ? text : text + padding)
                }
            }
            var joined = parts.joined(separator: "  ")
            while joined.last == " " { joined.removeLast() }
            return indent + joined + "\n"
        }
        return line(titles.map { Cell($0, .bold) }) + rows.map(line).joined()
    }
}
