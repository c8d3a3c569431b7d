import CairnCore
import Foundation
import Testing

@Suite("Schedule timings")
struct ScheduleTimingTests {
    let origin = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    @Test("an interval fires at its start, then every interval from it, never drifting, until it ends")
    func interval() throws {
        let timing = try ScheduleTiming(.interval(every: 90, from: origin), endsAt: origin.addingTimeInterval(300))
        #expect(timing.nextOccurrence(after: origin.addingTimeInterval(-1)) == origin)
        #expect(timing.nextOccurrence(after: origin) == origin.addingTimeInterval(90))
        #expect(timing.nextOccurrence(after: origin.addingTimeInterval(100)) == origin.addingTimeInterval(180))
        #expect(timing.nextOccurrence(after: origin.addingTimeInterval(270)) == nil, "360 s is past the end")
    }

    @Test("a single run fires once; a cron timing fires on its zone's clocks")
    func onceAndCron() throws {
        let once = try ScheduleTiming(.once(at: origin))
        #expect(once.nextOccurrence(after: origin.addingTimeInterval(-5)) == origin)
        #expect(once.nextOccurrence(after: origin) == nil)
        let nightly = try ScheduleTiming(.cron(CronExpression("0 2 * * *"), timeZone: "America/New_York"))
        // 02:00 in New York on 1 January is 07:00 UTC.
        #expect(nightly.nextOccurrence(after: origin) == origin.addingTimeInterval(7 * 3600))
    }

    @Test("missed occurrences: with catch-up each runs once, oldest first, at most the latest 100; without, only the latest")
    func catchUp() throws {
        let every = try ScheduleTiming(.interval(every: 60, from: origin), catchUp: true)
        let (due, dropped) = every.dueOccurrences(after: origin, now: origin.addingTimeInterval(5 * 60 + 30))
        #expect(due == (1...5).map { origin.addingTimeInterval(Double($0) * 60) } && dropped == 0)
        let (many, manyDropped) = every.dueOccurrences(after: origin, now: origin.addingTimeInterval(250 * 60))
        #expect(many.count == ScheduleTiming.catchUpLimit && manyDropped == 150)
        #expect(many.first == origin.addingTimeInterval(151 * 60) && many.last == origin.addingTimeInterval(250 * 60))
        let latest = try ScheduleTiming(.interval(every: 60, from: origin))
        let (one, skipped) = latest.dueOccurrences(after: origin, now: origin.addingTimeInterval(5 * 60 + 30))
        #expect(one == [origin.addingTimeInterval(300)] && skipped == 4)
        #expect(latest.dueOccurrences(after: origin.addingTimeInterval(300), now: origin.addingTimeInterval(330)).due.isEmpty)
    }

    @Test(
        "a timing that cannot fire as asked is refused with what is wrong",
        arguments: [
            (ScheduleTiming.Kind.cron(try! CronExpression("0 2 * * *"), timeZone: "Mars/Olympus"), nil as Date?, "unknown time zone 'Mars/Olympus'"),
            (.interval(every: 0, from: Date(timeIntervalSince1970: 0)), nil, "the interval must be above 0 seconds, not 0.0"),
            (.interval(every: -5, from: Date(timeIntervalSince1970: 0)), nil, "the interval must be above 0 seconds, not -5.0"),
            (.once(at: Date(timeIntervalSince1970: 100)), Date(timeIntervalSince1970: 50),
             "the end, 1970-01-01T00:00:50Z, is not after the start, 1970-01-01T00:01:40Z"),
        ])
    func refused(_ kind: ScheduleTiming.Kind, endsAt: Date?, message: String) {
        #expect(throws: ScheduleError(message)) { try ScheduleTiming(kind, endsAt: endsAt) }
    }

    @Test("a timing round-trips through JSON, and a stored one that is not valid is refused when read")
    func coding() throws {
        let timing = try ScheduleTiming(.cron(CronExpression("*/5 * * * 1-5"), timeZone: "Europe/London"), catchUp: true)
        #expect(try JSONDecoder().decode(ScheduleTiming.self, from: JSONEncoder().encode(timing)) == timing)
        let bad = #"{"kind":{"interval":{"every":0,"from":0}}}"#
        #expect(throws: (any Error).self) { try JSONDecoder().decode(ScheduleTiming.self, from: Data(bad.utf8)) }
    }
}
