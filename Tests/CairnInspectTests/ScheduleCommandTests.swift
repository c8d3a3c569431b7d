import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

@Suite("cairn schedule", .timeLimit(.minutes(1)))
struct ScheduleCommandTests {
    /// A store with an active cron schedule, `nightly`, with one occurrence run late and one not started,
    /// and an inactive interval schedule, `hourly`, ending in 2100.
    static func sample() async throws -> (store: TemporaryStore, nightly: ScheduleRecord) {
        let store = try TemporaryStore()
        let metadata = store.stack.metadata
        let made = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
        let nightly = try await FixturePipelines.diamond.schedule(
            "nightly", try ScheduleTiming(.cron(CronExpression("0 2 * * *"), timeZone: "UTC")), parameters: ["count": 3], on: store.stack, at: made)
        var hourly = try await FixturePipelines.diamond.schedule(
            "hourly", try ScheduleTiming(.interval(every: 3600, from: made), endsAt: Date(timeIntervalSince1970: 4_102_444_800), catchUp: true),
            on: store.stack, at: made)
        hourly.isActive = false
        try await metadata.updateSchedule(hourly)
        let run = try await FixturePipelines.diamond.run(on: store.stack).run
        let first = made.addingTimeInterval(2 * 3600)
        let claimant = RunOwner(host: "host", processID: 7)
        _ = try await metadata.claimOccurrence(
            scheduleID: nightly.id, fireTime: first, claimant: claimant, at: first.addingTimeInterval(0.25), takingOverClaimsBefore: .distantPast)
        try await metadata.recordOccurrenceRun(scheduleID: nightly.id, fireTime: first, runID: run.id, claimant: claimant)
        let second = first.addingTimeInterval(86_400)
        _ = try await metadata.claimOccurrence(
            scheduleID: nightly.id, fireTime: second, claimant: claimant, at: second.addingTimeInterval(3), takingOverClaimsBefore: .distantPast)
        return (store, nightly)
    }

    @Test("list shows each schedule's timing, activity and next fire time")
    func list() async throws {
        let (store, _) = try await Self.sample()
        defer { store.remove() }
        let result = await cairn("schedule", "list", "--store", store.home.path)
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "SCHEDULE  PIPELINE  TIMING                                  ACTIVE  NEXT RUN")
        #expect(lines[1] == "hourly    diamond   every 3600 s from 2026-01-01T00:00:00Z  no      -")
        #expect(lines[2].hasPrefix("nightly   diamond   0 2 * * * (UTC)                         yes     20"))
        #expect(lines[2].hasSuffix(" 02:00:00"))

        let json = await cairn("schedule", "list", "--store", store.home.path, "--json")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["name"] as? String } == ["hourly", "nightly"])
        #expect(rows[1]["kind"] as? String == "cron" && rows[1]["nextFireTime"] is String && rows[0]["nextFireTime"] == nil)
        #expect((rows[1]["parameters"] as? [String: Any])?["count"] as? Int == 3)
    }

    @Test("show lists recent occurrences, latest first, with how late each fired and its run")
    func show() async throws {
        let (store, _) = try await Self.sample()
        defer { store.remove() }
        let result = await cairn("schedule", "show", "nightly", "--store", store.home.path)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.hasPrefix("Schedule    nightly\nPipeline    diamond\nTiming      0 2 * * * (UTC)\n"), "\(result.output)")
        #expect(result.output.contains("Recent runs, latest first:\n  DUE                    LATE  RUN"), "\(result.output)")
        #expect(result.output.contains("  2026-01-02 02:00:00  3.00 s  not started (claimed by process 7 on host)"), "\(result.output)")
        #expect(result.output.contains("  2026-01-01 02:00:00  250 ms  diamond-"), "\(result.output)")

        let json = await cairn("schedule", "show", "nightly", "--store", store.home.path, "--json")
        let details = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let occurrences = try #require(details["occurrences"] as? [[String: Any]])
        #expect(occurrences.map { $0["lateSeconds"] as? Double } == [3, 0.25])
        #expect(occurrences[1]["status"] as? String == "completed" && occurrences[0]["run"] == nil)

        let typo = await cairn("schedule", "show", "nighty", "--store", store.home.path)
        #expect(typo.status == 1)
        #expect(typo.error == "Error: no schedule named 'nighty'; did you mean 'nightly'?\nTry: cairn schedule show nightly\n")
    }

    @Test("activate and deactivate change only whether it fires; delete removes it and its occurrences, not its runs")
    func activateDeactivateDelete() async throws {
        let (store, nightly) = try await Self.sample()
        defer { store.remove() }
        let metadata = store.stack.metadata
        let off = await cairn("schedule", "deactivate", "nightly", "--store", store.home.path)
        #expect(off.output == "Schedule 'nightly' is inactive: it fires nothing until `cairn schedule activate nightly`.\n")
        #expect(try await metadata.schedule(named: "nightly")?.isActive == false)
        let on = await cairn("schedule", "activate", "hourly", "--store", store.home.path, "--json")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(on.output.utf8)) as? [String: Any])
        #expect(summary["isActive"] as? Bool == true && summary["nextFireTime"] is String)
        #expect(try await metadata.schedule(named: "hourly")?.isActive == true)

        let unconfirmed = await cairn("schedule", "delete", "nightly", "--store", store.home.path)
        #expect(unconfirmed.status == 1 && unconfirmed.error.contains("Add --yes"))
        let deleted = await cairn("schedule", "delete", "nightly", "--yes", "--store", store.home.path)
        #expect(deleted.status == 0, "\(deleted.error)")
        #expect(try await metadata.schedule(named: "nightly") == nil)
        #expect(try await metadata.occurrences(ofSchedule: nightly.id, limit: 10).isEmpty)
        #expect(try await metadata.runs(RunQuery()).count == 1, "its run stays")
    }

    @Test("update changes what it is given and keeps the rest; bad input changes nothing")
    func update() async throws {
        let (store, _) = try await Self.sample()
        defer { store.remove() }
        let metadata = store.stack.metadata
        let before = try #require(try await metadata.schedule(named: "nightly"))
        let moved = await cairn("schedule", "update", "nightly", "--time-zone", "Europe/London", "--param", "count=4", "--store", store.home.path)
        #expect(moved.status == 0, "\(moved.error)")
        let after = try #require(try await metadata.schedule(named: "nightly"))
        #expect(after.timing.kind == .cron(try CronExpression("0 2 * * *"), timeZone: "Europe/London"))
        #expect(after.parameters == #"{"count":4}"#)
        #expect(after.updatedAt > before.updatedAt)

        let interval = await cairn(
            "schedule", "update", "hourly", "--every", "1800", "--start", "2030-01-01T00:00:00Z", "--no-catch-up", "--store", store.home.path, "--json")
        #expect(interval.status == 0, "\(interval.error)")
        let hourly = try #require(try await metadata.schedule(named: "hourly"))
        #expect(hourly.timing == (try ScheduleTiming(
            .interval(every: 1800, from: Date(timeIntervalSince1970: 1_893_456_000)), endsAt: Date(timeIntervalSince1970: 4_102_444_800))))

        for (arguments, message) in [
            (["--cron", "0 25 * * *"], "Error: --cron: hour field (column 3): 25 is out of range 0–23"),
            (["--time-zone", "Nowhere/Land"], "Error: --time-zone: unknown time zone 'Nowhere/Land'"),
            (["--every", "0"], "Error: --every: the interval must be above 0 seconds"),
            (["--ends-at", "2020-01-01T00:00:00Z", "--every", "60", "--start", "2021-01-01T00:00:00Z"], "Error: --ends-at: the end"),
        ] {
            let refused = await cairn(["schedule", "update", "nightly"] + arguments + ["--store", store.home.path])
            #expect(refused.status == 1, "\(arguments)")
            #expect(refused.error.hasPrefix(message), "\(refused.error)")
        }
        #expect(try await metadata.schedule(named: "nightly") == after, "nothing changed")
    }
}
