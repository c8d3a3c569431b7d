import Cairn
import Foundation

/// The README's example of scheduling a pipeline from code; compiled, not run (it would store
/// schedules in the active stack).
func scheduleTraining() async throws {
    let nightly = try ScheduleTiming(.cron(CronExpression("0 2 * * *"), timeZone: "Europe/London"), catchUp: true)
    try await training.schedule("nightly", nightly, parameters: Parameters(learningRate: 0.05))
    let hourly = try ScheduleTiming(.interval(every: 3600, from: .now), endsAt: .now.addingTimeInterval(7 * 86_400))
    try await training.schedule("hourly", hourly, configuration: try String(contentsOfFile: "nightly.yaml", encoding: .utf8))
}
