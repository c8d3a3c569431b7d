import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A moment given on the command line: a time ago (`30m`, `2h`, `7d`, `2w`) or an ISO 8601 date
/// (`2024-05-01`, `2024-05-01T10:00`, `2024-05-01 10:00:00Z`, `2024-05-01T10:00:00+02:00`).
///
/// A date without a time zone is local time.
enum PointInTime {
    /// The moment `text` describes, relative to `now`.
    static func parse(_ text: String, now: Date = Date()) throws -> Date {
        if let ago = secondsAgo(text) { return now.addingTimeInterval(-ago) }
        if let date = isoDate(text) { return date }
        if text.hasPrefix("-"), secondsAgo(String(text.dropFirst())) != nil {
            throw ValidationError("'\(text)' is not a time: a time ago counts back from now and cannot be negative; give \(text.dropFirst()).")
        }
        throw ValidationError(
            "'\(text)' is not a time: give a time ago, such as 30m, 2h, 7d or 2w, or a date such as 2024-05-01 or 2024-05-01T10:00:00Z.")
    }

    /// `30s`, `30m`, `2h`, `7d`, `2w` as seconds.
    private static func secondsAgo(_ text: String) -> Double? {
        guard let unit = text.last, let count = Int(text.dropLast()), count >= 0, text.first?.isNumber == true else { return nil }
        let seconds: Double? = switch unit {
        case "s": 1
        case "m": 60
        case "h": 3600
        case "d": 86400
        case "w": 604_800
        default: nil
        }
        return seconds.map { $0 * Double(count) }
    }

    /// An ISO 8601 date, with an optional time and zone.
    private static func isoDate(_ text: String) -> Date? {
        var scanner = Substring(text)[...]
        func number(_ digits: Int) -> Int? {
            let part = scanner.prefix(digits)
            guard part.count == digits, part.allSatisfy(\.isASCII), let value = Int(part) else { return nil }
            scanner = scanner.dropFirst(digits)
            return value
        }
        func take(_ character: Character) -> Bool {
            guard scanner.first == character else { return false }
            scanner = scanner.dropFirst()
            return true
        }
        guard let year = number(4), take("-"), let month = number(2), take("-"), let day = number(2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_isdst = -1
        var fraction = 0.0
        if take("T") || take(" ") {
            guard let hour = number(2), take(":"), let minute = number(2), hour < 24, minute < 60 else { return nil }
            parts.tm_hour = Int32(hour)
            parts.tm_min = Int32(minute)
            if take(":") {
                guard let second = number(2), second < 61 else { return nil }
                parts.tm_sec = Int32(second)
                if take(".") {
                    let digits = scanner.prefix(while: \.isNumber)
                    fraction = Double("0." + digits) ?? 0
                    scanner = scanner.dropFirst(digits.count)
                }
            }
        }
        var offset: Int?
        if take("Z") || take("z") {
            offset = 0
        } else if let sign = scanner.first, sign == "+" || sign == "-" {
            scanner = scanner.dropFirst()
            guard let hours = number(2) else { return nil }
            _ = take(":")
            let minutes = number(2) ?? 0
            offset = (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        guard scanner.isEmpty else { return nil }
        let seconds: time_t
        if let offset {
            seconds = timegm(&parts) - time_t(offset)
        } else {
            seconds = mktime(&parts)
        }
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}
