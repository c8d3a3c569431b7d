import Foundation
import GRDB

/// Dates as GRDB stores them: text such as `2025-03-14 09:26:53.589`, in UTC.
///
/// Written by hand because GRDB formats each `Date` it binds with a `DateFormatter`, which goes
/// through ICU, and a step run binds a date when it starts, when it ends and for each output: that
/// was a visible part of the CPU time of recording a step. The text is GRDB's, byte for byte (the
/// tests compare the two), so that stored dates compare and sort as they always have.
enum DatabaseDate {
    /// The value to bind for `date`: the same text as GRDB's `date.databaseValue`.
    ///
    /// Like Foundation's formatter, this rounds to the nearest millisecond, from the time since 1970
    /// computed as Foundation computes it. Dates before 1583, where ICU's calendar turns Julian, and
    /// from the year 10000 on, which has five digits, are left to GRDB.
    static func value(_ date: Date) -> DatabaseValue {
        // What CFDateFormatter hands ICU: milliseconds since 1970, plus half a millisecond, which
        // ICU then rounds down.
        let milliseconds = ((date.timeIntervalSinceReferenceDate + Date.timeIntervalBetween1970AndReferenceDate) * 1000 + 0.5).rounded(.down)
        guard milliseconds >= firstMillisecond, milliseconds < endMillisecond else { return date.databaseValue }
        let (days, millisecondOfDay) = Int64(milliseconds).quotientAndRemainder(dividingBy: 86_400_000)
        let (year, month, day) = civilDate(daysSince1970: days - (millisecondOfDay < 0 ? 1 : 0))
        let time = millisecondOfDay < 0 ? millisecondOfDay + 86_400_000 : millisecondOfDay
        let text = String(unsafeUninitializedCapacity: 23) { buffer in
            var position = 0
            func write(_ value: Int64, digits: Int) {
                var value = value
                for offset in (0..<digits).reversed() {
                    buffer[position + offset] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                position += digits
            }
            func write(_ separator: Unicode.Scalar) {
                buffer[position] = UInt8(ascii: separator)
                position += 1
            }
            write(year, digits: 4)
            write("-")
            write(month, digits: 2)
            write("-")
            write(day, digits: 2)
            write(" ")
            write(time / 3_600_000, digits: 2)
            write(":")
            write(time / 60_000 % 60, digits: 2)
            write(":")
            write(time / 1000 % 60, digits: 2)
            write(".")
            write(time % 1000, digits: 3)
            return position
        }
        return text.databaseValue
    }

    /// 1583-01-01 00:00:00 UTC, in milliseconds since 1970: the first whole year of the Gregorian calendar.
    private static let firstMillisecond: Double = -12_212_553_600_000
    /// 10000-01-01 00:00:00 UTC, in milliseconds since 1970.
    private static let endMillisecond: Double = 253_402_300_800_000

    /// The year, month and day in the proleptic Gregorian calendar of the day `days` after 1970-01-01
    /// (Howard Hinnant's `civil_from_days`).
    private static func civilDate(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468  // days since 0000-03-01
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // from March 1st
        let shiftedMonth = (5 * dayOfYear + 2) / 153  // 0 for March
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
