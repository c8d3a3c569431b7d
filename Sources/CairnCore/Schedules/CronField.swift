/// One of the five fields of a cron expression: the values it allows, read from its text.
///
/// Written by hand: none of the packages Cairn may use parses cron expressions.
struct CronField: Sendable, Hashable {
    /// Which field it is, with its range and names.
    enum Kind: Int, Sendable, CaseIterable {
        case minute, hour, dayOfMonth, month, dayOfWeek

        /// How errors name the field.
        var label: String {
            switch self {
            case .minute: "minute"
            case .hour: "hour"
            case .dayOfMonth: "day-of-month"
            case .month: "month"
            case .dayOfWeek: "day-of-week"
            }
        }

        /// The values the field may name; 7 is Sunday, as 0 is.
        var range: ClosedRange<Int> {
            switch self {
            case .minute: 0...59
            case .hour: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 0...7
            }
        }

        /// The names the field accepts for its values, in order from the first value of its range.
        var names: [String] {
            switch self {
            case .month: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
            case .dayOfWeek: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
            default: []
            }
        }
    }

    /// The values allowed, sorted; days of the week as 0 (Sunday) to 6.
    let values: [Int]
    /// Whether the field's text starts with `*`: such a day field does not restrict (see ``CronExpression``),
    /// and such a minute or hour field makes the job follow wall-clock time across daylight-saving changes.
    let isStarred: Bool

    /// Reads `text`, which starts at `column` (from 1) of the expression.
    init(_ text: Substring, kind: Kind, column: Int) throws(CronExpressionError) {
        var allowed = Set<Int>()
        var offset = 0
        for term in text.split(separator: ",", omittingEmptySubsequences: false) {
            let termColumn = column + offset
            offset += term.count + 1
            guard !term.isEmpty else { throw CronExpressionError(kind, column: termColumn, "an empty list item in '\(text)'") }
            allowed.formUnion(try Self.values(of: term, kind: kind, column: termColumn))
        }
        values = Set(allowed.map { kind == .dayOfWeek ? $0 % 7 : $0 }).sorted()
        isStarred = text.hasPrefix("*")
    }

    /// The values of one item of a list: `*`, `N`, `A-B`, each optionally followed by `/STEP`.
    private static func values(of term: Substring, kind: Kind, column: Int) throws(CronExpressionError) -> [Int] {
        let parts = term.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        var step = 1
        if parts.count == 2 {
            guard let number = Int(parts[1]), parts[1].allSatisfy(\.isASCII), number > 0 else {
                throw CronExpressionError(kind, column: column + parts[0].count + 1, "the step '\(parts[1])' is not a whole number above 0")
            }
            step = number
        }
        let base = parts[0]
        let bounds: ClosedRange<Int>
        if base == "*" {
            bounds = kind.range
        } else if let dash = base.firstIndex(of: "-") {
            let low = try value(base[..<dash], kind: kind, column: column)
            let high = try value(base[base.index(after: dash)...], kind: kind, column: column + base.distance(from: base.startIndex, to: dash) + 1)
            guard low <= high else { throw CronExpressionError(kind, column: column, "the range \(base) runs backwards") }
            bounds = low...high
        } else {
            let single = try value(base, kind: kind, column: column)
            // `N/STEP` runs from N to the end of the range, as Debian cron reads it.
            bounds = parts.count == 2 ? single...kind.range.upperBound : single...single
        }
        return Array(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
    }

    /// A number or, for months and days of the week, a name (`JAN`, `mon`).
    private static func value(_ text: Substring, kind: Kind, column: Int) throws(CronExpressionError) -> Int {
        if let index = kind.names.firstIndex(of: text.uppercased()) {
            return kind.range.lowerBound + index
        }
        guard let number = Int(text), text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            let expected = kind.names.isEmpty ? "a number" : "a number or a name such as \(kind.names[0])"
            throw CronExpressionError(kind, column: column, "'\(text)' is not \(expected)")
        }
        guard kind.range.contains(number) else {
            throw CronExpressionError(
                kind, column: column, "\(number) is out of range \(kind.range.lowerBound)–\(kind.range.upperBound)")
        }
        return number
    }
}
