import CairnCore
import Foundation
import Testing

@Suite("Cron expressions")
struct CronExpressionTests {
    /// A case of the reference table (`scripts/cron-reference-table`).
    struct ReferenceCase: Sendable, CustomTestStringConvertible {
        var expression: String
        var zone: String
        var start: String
        var fireTimes: [Date]

        var testDescription: String { "\(expression) in \(zone) from \(start)" }

        static var all: [ReferenceCase] {
            cronReferenceTable.split(separator: "\n").map { line in
                let fields = line.split(separator: "\t").map(String.init)
                return ReferenceCase(
                    expression: fields[0], zone: fields[1], start: fields[2],
                    fireTimes: fields[3...].map { Date(timeIntervalSince1970: Double($0)!) })
            }
        }
    }

    @Test("the next fire times match cronsim's (Debian cron's rules) for month ends, leap days, day fields, names, steps and daylight-saving changes", arguments: ReferenceCase.all)
    func matchesReference(_ reference: ReferenceCase) throws {
        let expression = try CronExpression(reference.expression)
        let zone = try #require(TimeZone(identifier: reference.zone))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = reference.start.split(whereSeparator: { "-T:".contains($0) }).map { Int($0)! }
        var time = try #require(calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4])))
        for expected in reference.fireTimes {
            let next = try #require(expression.nextFireTime(after: time, in: zone), "fires after \(time)")
            #expect(next == expected, "after \(time): \(next) is not \(expected)")
            time = next
        }
    }

    @Test("the reference table covers every kind of case the issue names")
    func tableCoverage() {
        let cases = ReferenceCase.all
        #expect(cases.count > 150)
        #expect(Set(cases.map(\.zone)) == ["UTC", "America/New_York", "Europe/London"])
        #expect(cases.contains { $0.expression == "0 0 29 2 *" } && cases.contains { $0.expression == "0 9 13 * FRI" })
    }

    @Test(
        "a bad expression is refused, naming the field and the column",
        arguments: [
            ("61 * * * *", "minute field (column 1): 61 is out of range 0–59"),
            ("0 24 * * *", "hour field (column 3): 24 is out of range 0–23"),
            ("0 0 0 * *", "day-of-month field (column 5): 0 is out of range 1–31"),
            ("0 0 * 13 *", "month field (column 7): 13 is out of range 1–12"),
            ("0 0 * * 8", "day-of-week field (column 9): 8 is out of range 0–7"),
            ("0 0 * FOO *", "month field (column 7): 'FOO' is not a number or a name such as JAN"),
            ("*/0 * * * *", "minute field (column 3): the step '0' is not a whole number above 0"),
            ("5-3 * * * *", "minute field (column 1): the range 5-3 runs backwards"),
            ("0 0 1,,2 * *", "day-of-month field (column 7): an empty list item in '1,,2'"),
            ("0 0 30 2 *", "day-of-month field (column 5): no chosen month has a day 30"),
            ("* * * *", "expression (column 1): expected 5 fields (minute hour day-of-month month day-of-week), found 4 in '* * * *'"),
            ("@fortnightly", "expression (column 1): unknown macro '@fortnightly'; known: @annually, @daily, @hourly, @midnight, @monthly, @weekly, @yearly"),
            ("@daily 5", "expression (column 8): a macro such as @daily stands alone"),
        ])
    func refused(_ text: String, message: String) {
        #expect(throws: CronExpressionError.self) { try CronExpression(text) }
        do {
            _ = try CronExpression(text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("0 and 7 are both Sunday; names, lists, ranges and steps read as numbers do; an expression round-trips as its text")
    func equivalentForms() throws {
        let zone = TimeZone(identifier: "UTC")!
        let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01, a Thursday
        for (first, second) in [("0 8 * * 0", "0 8 * * 7"), ("0 8 * * sun", "0 8 * * SUN"), ("0 0 * jan-mar mon", "0 0 * 1-3 1"), ("*/15 * * * *", "0,15,30,45 * * * *")] {
            #expect(try CronExpression(first).nextFireTime(after: start, in: zone) == CronExpression(second).nextFireTime(after: start, in: zone))
        }
        let decoded = try JSONDecoder().decode(CronExpression.self, from: JSONEncoder().encode(try CronExpression("30 2 * * MON-FRI")))
        #expect(decoded.text == "30 2 * * MON-FRI")
        #expect(throws: (any Error).self) { try JSONDecoder().decode(CronExpression.self, from: Data(#""61 * * * *""#.utf8)) }
    }
}
