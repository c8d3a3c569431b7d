import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

@Suite("A pipeline executable's schedule create", .timeLimit(.minutes(2)))
struct ScheduleCreateCommandTests {
    @Test("creates a cron schedule in a time zone, with parameters and catch-up, for one of its pipelines")
    func creates() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let (status, output) = try await FixtureExecutable.run([
            "schedule", "create", "nightly", "--pipeline", "diamond", "--cron", "0 2 * * *", "--time-zone", "Europe/London", "--param", "count=5",
            "--catch-up", "--store", store.home.path,
        ])
        #expect(status == 0, "\(output)")
        #expect(output.contains("Created schedule 'nightly' of pipeline 'diamond'; next run 20"), "\(output)")
        let schedule = try #require(try await store.stack.metadata.schedule(named: "nightly"))
        #expect(schedule.timing == (try ScheduleTiming(.cron(CronExpression("0 2 * * *"), timeZone: "Europe/London"), catchUp: true)))
        #expect(schedule.parameters == #"{"count":5}"#)
        #expect(schedule.isActive && schedule.configuration == nil)
    }

    @Test("bad input is an error naming the option, and nothing is stored", arguments: [
        (["--cron", "61 * * * *"], 1, "Error: --cron: minute field (column 1): 61 is out of range 0–59"),
        (["--cron", "0 2 * * *", "--time-zone", "Mars/Olympus"], 1, "Error: --time-zone: unknown time zone 'Mars/Olympus'"),
        (["--every", "0"], 1, "Error: --every: the interval must be above 0 seconds, not 0.0"),
        (["--every", "60", "--start", "2030-01-02T00:00:00Z", "--ends-at", "2030-01-01T00:00:00Z"], 1,
         "Error: --ends-at: the end, 2030-01-01T00:00:00Z, is not after the start, 2030-01-02T00:00:00Z"),
        (["--at", "2000-01-01T00:00:00Z"], 1, "Error: --at: 2000-01-01T00:00:00Z has passed"),
        (["--at", "tomorrow"], 1, "Error: --at: cannot read 'tomorrow' as a date"),
        (["--cron", "0 2 * * *", "--every", "60"], 1, "Error: give only one of --cron, --every and --at"),
        (["--cron", "0 2 * * *", "--param", "cout=5"], 1, "cout"),
        (["--cron", "0 2 * * *", "--pipeline", "diamnd"], 64, "Error: no pipeline named 'diamnd'; did you mean 'diamond'?"),
    ] as [([String], Int32, String)])
    func refusesBadInput(options: [String], status expected: Int32, message: String) async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = options.contains("--pipeline") ? [] : ["--pipeline", "diamond"]
        let (status, output) = try await FixtureExecutable.run(["schedule", "create", "bad"] + pipeline + options + ["--store", store.home.path])
        #expect(status == expected, "\(output)")
        #expect(output.contains(message), "\(output)")
        #expect(try await store.stack.metadata.schedules().isEmpty)
    }

    @Test("a schedule name taken is refused, keeping the first")
    func nameTaken() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let arguments = ["schedule", "create", "hourly", "--pipeline", "diamond", "--cron", "@hourly", "--store", store.home.path]
        #expect(try await FixtureExecutable.run(arguments).status == 0)
        let (status, output) = try await FixtureExecutable.run(arguments.replacing(["@hourly"], with: ["@daily"]))
        #expect(status == 1)
        #expect(output.contains("Error: a schedule named 'hourly' already exists"), "\(output)")
        #expect(try await store.stack.metadata.schedules().map(\.timing.kind) == [.cron(try CronExpression("@hourly"), timeZone: TimeZone.current.identifier)])
    }
}
