import Foundation

/// How much work the reliability tests do: small by default, so that `swift test` stays fast, and
/// as much as the environment asks for when a script runs the full versions
/// (`scripts/kill-test`, `scripts/concurrent-writers`).
///
/// | variable | default | what it counts |
/// |---|---|---|
/// | `CAIRN_KILLS` | 20 on SQLite, 5 on PostgreSQL | pipelines killed with SIGKILL at random moments, on each store |
/// | `CAIRN_KILL_SEED` | 7 | the seed that picks those moments |
/// | `CAIRN_WRITERS` | 2 | processes writing to one store at once |
/// | `CAIRN_RUNS_PER_WRITER` | 10 | runs each of those processes makes |
struct ReliabilityScale: Sendable {
    /// `CAIRN_KILLS`, when it is set.
    var chosenKills: Int?
    var killSeed: UInt64
    var writers: Int
    var runsPerWriter: Int

    /// The scale the environment asks for.
    static let current = ReliabilityScale(environment: ProcessInfo.processInfo.environment)

    init(environment: [String: String]) {
        func number(_ name: String, default value: Int) -> Int {
            environment[name].flatMap { Int($0) }.map { max(1, $0) } ?? value
        }
        chosenKills = environment["CAIRN_KILLS"].flatMap { Int($0) }.map { max(1, $0) }
        killSeed = UInt64(number("CAIRN_KILL_SEED", default: 7))
        writers = number("CAIRN_WRITERS", default: 2)
        runsPerWriter = number("CAIRN_RUNS_PER_WRITER", default: 10)
    }

    /// How many runs the kill test kills on `store`: `CAIRN_KILLS`, else 20 on SQLite and 5 on
    /// PostgreSQL, whose kills take longer (each makes a schema of its own).
    func kills(on store: StoreKind) -> Int {
        chosenKills ?? (store == .sqlite ? 20 : 5)
    }

    /// A time limit for a test doing `count` units of work of about `secondsEach`, with a margin for a
    /// loaded machine; Swift Testing counts time limits in whole minutes.
    static func minutes(for count: Int, secondsEach: Double) -> Int {
        max(1, Int((Double(count) * secondsEach * 3 / 60).rounded(.up)))
    }
}
