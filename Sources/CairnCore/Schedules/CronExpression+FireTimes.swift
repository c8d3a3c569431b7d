public import Foundation

extension CronExpression {
    /// The first time after `date` at which the expression fires, on the clocks of `timeZone`; `nil`
    /// when it never fires in the next 50 years (`0 0 30 2 MON` fires on Mondays only, so it does fire).
    ///
    /// Across daylight-saving changes it does what Debian cron does:
    /// - A job at a fixed time (neither its minute nor its hour field starts with `*`) runs by the
    ///   wall clock: in an hour the clocks skip, it runs once, right after the jump; in an hour they
    ///   repeat, it runs once, the first time.
    /// - A job with a wildcard minute or hour (`*/30 * * * *`, `0 * * * *`) follows the clock as it
    ///   shows: it runs in both passes of a repeated hour, and not at all in a skipped one.
    public func nextFireTime(after date: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return minutes.isStarred || hours.isStarred
            ? nextOnTheClock(after: date, calendar: calendar)
            : nextByTheWallClock(after: date, calendar: calendar)
    }

    /// The next time, searched minute by minute as the clock shows them, skipping whole months,
    /// days and hours that cannot match.
    private func nextOnTheClock(after date: Date, calendar: Calendar) -> Date? {
        var time = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
        let limit = date.addingTimeInterval(50 * 366 * 86_400)
        while time < limit {
            let shown = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: time)
            guard let month = shown.month, let day = shown.day, let hour = shown.hour, let minute = shown.minute, let weekday = shown.weekday
            else { return nil }
            if !months.values.contains(month) {
                guard let next = calendar.nextDate(after: time, matching: DateComponents(day: 1, hour: 0, minute: 0), matchingPolicy: .nextTime)
                else { return nil }
                time = next
            } else if !matchesDay(day, weekday: weekday - 1) {
                guard let next = calendar.nextDate(after: time, matching: DateComponents(hour: 0, minute: 0), matchingPolicy: .nextTime)
                else { return nil }
                time = next
            } else if !hours.values.contains(hour) {
                time += TimeInterval(60 - minute) * 60
            } else if let next = minutes.values.first(where: { $0 >= minute }) {
                if next == minute { return time }
                time += TimeInterval(next - minute) * 60
            } else {
                time += TimeInterval(60 - minute) * 60
            }
        }
        return nil
    }

    /// The next time, searched on the wall clock's dates and times, then placed on the time line.
    private func nextByTheWallClock(after date: Date, calendar: Calendar) -> Date? {
        let start = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        guard var day = WallClockDay(start), let startHour = start.hour, let startMinute = start.minute else { return nil }
        let startSecond = start.second ?? 0
        for _ in 0..<(50 * 366) {
            defer { day = day.next }
            guard months.values.contains(day.month), matchesDay(day.day, weekday: day.weekday) else { continue }
            for hour in hours.values {
                for minute in minutes.values {
                    if day == WallClockDay(start), (hour, minute, 0) <= (startHour, startMinute, startSecond) { continue }
                    if let time = day.place(hour: hour, minute: minute, calendar: calendar), time > date { return time }
                }
            }
        }
        return nil
    }
}

/// A date as a wall clock shows it, whatever the time zone: what fixed-time cron jobs count in.
private struct WallClockDay: Equatable {
    var year: Int
    var month: Int
    var day: Int

    init?(_ components: DateComponents) {
        guard let year = components.year, let month = components.month, let day = components.day else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
    }

    private init(year: Int, month: Int, day: Int) {
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// The day of the week, 0 for Sunday.
    var weekday: Int {
        // Zeller's congruence, on the proleptic Gregorian calendar.
        let (y, m) = month < 3 ? (year - 1, month + 12) : (year, month)
        let h = (day + (13 * (m + 1)) / 5 + y + y / 4 - y / 100 + y / 400) % 7
        return (h + 6) % 7
    }

    /// The day after.
    var next: WallClockDay {
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let length = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        if day < length { return WallClockDay(year: year, month: month, day: day + 1) }
        return month < 12 ? WallClockDay(year: year, month: month + 1, day: 1) : WallClockDay(year: year + 1, month: 1, day: 1)
    }

    /// When the clocks show `hour:minute` on this day: the first time when they show it twice, and
    /// the first minute after the jump when they skip it.
    func place(hour: Int, minute: Int, calendar: Calendar) -> Date? {
        var components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
        for _ in 0..<(24 * 60) {
            if let time = Self.earliest(components, calendar: calendar) { return time }
            // Not on the clock this day: the clocks jumped over it. Try the next minute, as Debian cron does.
            components.minute! += 1
        }
        return nil
    }

    /// The earliest time the clocks show `components`, or `nil` when they never do.
    private static func earliest(_ components: DateComponents, calendar: Calendar) -> Date? {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        guard let asUTC = utc.date(from: components) else { return nil }
        let offsets = Set([-1, 1].map { calendar.timeZone.secondsFromGMT(for: asUTC.addingTimeInterval(Double($0) * 86_400)) })
        return offsets.map { asUTC.addingTimeInterval(-Double($0)) }
            .filter { calendar.timeZone.secondsFromGMT(for: $0) == Int(asUTC.timeIntervalSince($0)) }
            .min()
    }
}
