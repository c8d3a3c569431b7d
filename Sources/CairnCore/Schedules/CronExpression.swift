/// A standard five-field cron expression: minute, hour, day of month, month, day of week.
///
/// Fields take numbers, `*`, ranges (`1-5`), steps (`*/15`, `10-40/10`, `5/15`), lists (`1,15`), and
/// for months and days of the week names (`JAN`, `mon-fri`); both 0 and 7 are Sunday. `@hourly`,
/// `@daily` (or `@midnight`), `@weekly`, `@monthly` and `@yearly` (or `@annually`) stand for their
/// usual expressions. As in Vixie and Debian cron, when both day fields are restricted a day matching
/// either runs; a day field whose text starts with `*` (`*/2` too) restricts nothing.
///
/// ```swift
/// let nightly = try CronExpression("0 2 * * *")
/// let next = nightly.nextFireTime(after: .now, in: TimeZone(identifier: "Europe/London")!)
/// ```
///
/// ``nextFireTime(after:in:)`` follows Debian cron across daylight-saving changes.
public struct CronExpression: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The expression as written.
    public let text: String
    let minutes: CronField
    let hours: CronField
    let daysOfMonth: CronField
    let months: CronField
    let daysOfWeek: CronField

    /// What the macros stand for.
    private static let macros = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// Reads `text`.
    ///
    /// - Throws: ``CronExpressionError``, naming the field and the column at fault.
    public init(_ text: String) throws(CronExpressionError) {
        let trimmed = text.drop { $0 == " " || $0 == "\t" }
        let leading = text.count - trimmed.count
        if trimmed.hasPrefix("@") {
            let macro = String(trimmed.prefix { $0 != " " && $0 != "\t" }).lowercased()
            let rest = trimmed.dropFirst(macro.count)
            let extra = rest.drop { $0 == " " || $0 == "\t" }
            guard extra.isEmpty else {
                throw CronExpressionError(nil, column: text.count - extra.count + 1, "a macro such as \(macro) stands alone")
            }
            guard let expansion = Self.macros[macro] else {
                throw CronExpressionError(
                    nil, column: leading + 1, "unknown macro '\(macro)'; known: " + Self.macros.keys.sorted().joined(separator: ", "))
            }
            try self.init(fields: expansion, text: text, columns: nil)
        } else {
            try self.init(fields: text, text: text, columns: leading)
        }
    }

    /// Reads the five fields of `fields`; `columns` says where `fields` sits in `text`, `nil` for a
    /// macro's expansion, whose faults cannot be the user's.
    private init(fields: String, text: String, columns: Int?) throws(CronExpressionError) {
        var parts: [(Substring, column: Int)] = []
        var index = fields.startIndex
        while index < fields.endIndex {
            guard fields[index] != " " && fields[index] != "\t" else {
                index = fields.index(after: index)
                continue
            }
            let end = fields[index...].firstIndex { $0 == " " || $0 == "\t" } ?? fields.endIndex
            parts.append((fields[index..<end], fields.distance(from: fields.startIndex, to: index) + 1))
            index = end
        }
        guard parts.count == 5 else {
            throw CronExpressionError(
                nil, column: 1, "expected 5 fields (minute hour day-of-month month day-of-week), found \(parts.count) in '\(text)'")
        }
        var read: [CronField] = []
        for (kind, part) in zip(CronField.Kind.allCases, parts) {
            read.append(try CronField(part.0, kind: kind, column: part.column))
        }
        self.text = text
        (minutes, hours, daysOfMonth, months, daysOfWeek) = (read[0], read[1], read[2], read[3], read[4])
        // When every chosen day must also fall on a chosen weekday, a day no chosen month has never comes.
        let longest = months.values.map { [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][$0 - 1] }.max() ?? 31
        if daysOfWeek.isStarred, let first = daysOfMonth.values.first, first > longest {
            throw CronExpressionError(.dayOfMonth, column: parts[2].column, "no chosen month has a day \(first)")
        }
    }

    /// Whether a day with this day of the month and day of the week (0 is Sunday) matches the day fields.
    func matchesDay(_ day: Int, weekday: Int) -> Bool {
        let byDate = daysOfMonth.values.contains(day)
        let byWeekday = daysOfWeek.values.contains(weekday)
        return daysOfMonth.isStarred || daysOfWeek.isStarred ? byDate && byWeekday : byDate || byWeekday
    }

    /// The expression as written.
    public var description: String { text }

    /// Reads the expression from a string.
    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// Writes the expression as a string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    /// Two expressions are equal when they are written the same.
    public static func == (left: CronExpression, right: CronExpression) -> Bool {
        left.text == right.text
    }

    /// Hashes the text.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
    }
}
