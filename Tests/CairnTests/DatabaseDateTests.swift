@testable import CairnSQLite
import CairnTesting
import Foundation
import GRDB
import Testing

/// The SQLite store binds dates as text it writes by hand; it must be GRDB's text, byte for byte.
@Suite("Dates bound into SQLite")
struct DatabaseDateTests {
    /// The UTC date of that day, hour and minute, plus `second` seconds.
    static func date(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Double = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let midnight = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
        return midnight.addingTimeInterval(second)
    }

    func expectGRDBText(_ date: Date, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(
            DatabaseDate.value(date) == date.databaseValue, "\(date.timeIntervalSinceReferenceDate)", sourceLocation: sourceLocation)
    }

    @Test("days around leap days, month and year ends, and the epoch")
    func calendarEdges() {
        let days: [(Int, Int, Int)] = [
            (1970, 1, 1), (1969, 12, 31), (1600, 2, 29), (1700, 2, 28), (1700, 3, 1), (1900, 2, 28), (1900, 3, 1), (2000, 2, 29),
            (2000, 3, 1), (2024, 2, 29), (2023, 2, 28), (2023, 3, 1), (2100, 2, 28), (2100, 3, 1), (2038, 1, 19), (1583, 1, 1),
            (1582, 12, 31), (1582, 10, 15), (1582, 10, 4), (1000, 6, 15), (1, 1, 1), (9999, 12, 31), (2025, 12, 31), (2026, 1, 1),
        ]
        for (year, month, day) in days {
            for second in [0, 0.0004, 0.0005, 0.0006, 0.999, 0.9994999, 0.9995, 0.9999, 59.9995, 3599.9995, 86399.9994, 86399.9995] {
                expectGRDBText(Self.date(year, month, day, 0, 0, second))
            }
        }
    }

    @Test("dates outside the years written by hand are left to GRDB")
    func outside() {
        for date in [Date.distantPast, Date.distantFuture, Self.date(10_000, 1, 1), Self.date(9999, 12, 31, 23, 59, 59.9996), Self.date(1582, 12, 31, 23, 59, 59.9995)] {
            expectGRDBText(date)
        }
    }

    @Test("milliseconds on either side of half a millisecond, which Foundation rounds")
    func roundingBoundaries() {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<2000 {
            // A whole millisecond plus half of one, and the neighbouring doubles, in seconds since 1970.
            let millisecond = Double(Int64.random(in: -400_000_000_000...2_000_000_000_000, using: &generator))
            let half = (millisecond + 0.5) / 1000
            for seconds in [half, half.nextUp, half.nextDown, half + 1e-7, half - 1e-7, millisecond / 1000] {
                expectGRDBText(Date(timeIntervalSince1970: seconds))
            }
        }
    }

    @Test("random dates, from the 16th century to the 10th millennium and around now")
    func random() {
        var generator = SeededGenerator(seed: 3)
        let now = Date().timeIntervalSinceReferenceDate
        for _ in 0..<5000 {
            expectGRDBText(Date(timeIntervalSinceReferenceDate: Double.random(in: -13_300_000_000...252_500_000_000, using: &generator)))
            expectGRDBText(Date(timeIntervalSinceReferenceDate: now + Double.random(in: -1e8...1e8, using: &generator)))
        }
        expectGRDBText(Date())
    }
}
