/// The text a terminal shows after some output, for the few controls the live display writes:
/// carriage return, line feed (which, as on a terminal, also returns the carriage), cursor up
/// (`ESC [ n A`) and erase below (`ESC [ J`). Other escape sequences are a test failure's business:
/// they are kept as text, so that they show.
struct TerminalScreen {
    private var rows: [[Character]] = [[]]
    private var row = 0
    private var column = 0

    /// The screen's lines, without trailing spaces, and without the empty lines at its end.
    var lines: [String] {
        var lines = rows.map { String($0).replacing(/\ +$/, with: "") }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// Applies what a program wrote.
    mutating func write(_ text: String) {
        var characters = text[...]
        while let character = characters.popFirst() {
            switch character {
            case "\r": column = 0
            case "\n", "\r\n":
                (row, column) = (row + 1, 0)
                if row == rows.count { rows.append([]) }
            case "\u{1B}" where characters.first == "[":
                let digits = characters.dropFirst().prefix(while: \.isNumber)
                let end = characters.index(characters.startIndex, offsetBy: 1 + digits.count)
                guard end < characters.endIndex else { put(character); continue }
                let count = Int(digits) ?? 1
                switch characters[end] {
                case "A": row = max(0, row - count)
                case "J":
                    rows[row].removeSubrange(min(column, rows[row].count)...)
                    rows.removeSubrange((row + 1)...)
                default:
                    put(character)
                    continue
                }
                characters = characters[characters.index(after: end)...]
            default: put(character)
            }
        }
    }

    private mutating func put(_ character: Character) {
        while rows[row].count < column { rows[row].append(" ") }
        if column < rows[row].count { rows[row][column] = character } else { rows[row].append(character) }
        column += 1
    }
}
