import Cairn
import Foundation

/// Times `cairn` commands as a user types them: each a whole process, started 20 times after one
/// warm-up, for the `cli` scenarios.
struct CommandTiming {
    /// A command to time: the figure's name, the arguments after `cairn`, and the figure's note.
    typealias Command = (name: String, arguments: [String], note: String)

    /// The `cairn` executable beside this one.
    let executable: String
    /// What each command's process gets added to this one's environment.
    let environment: [String: String]
    /// What each figure's name starts with.
    let prefix: String

    /// The `cairn` executable beside this one, which must have been built.
    init(environment: [String: String] = [:], prefix: String = "") throws {
        executable = URL(filePath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "cairn").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw CairnError.store("no cairn executable at \(executable): build it with swift build -c release --product cairn")
        }
        self.environment = environment
        self.prefix = prefix
    }

    /// What both `cli` scenarios time, on the store `options` name (`--store PATH`, or none for the
    /// stack the environment chooses): `runs list` with its options, `runs show` of the newest run
    /// and of the run in the middle, `runs dag`, `status`, and `--help` as the baseline of a process
    /// that opens no store.
    ///
    /// - Parameters:
    ///   - listPlan: How the store plans the newest runs' query, for the note of `runs list`.
    ///   - worstCase: The note of the filter that no run matches.
    static func inspection(newest: String, middle: String, options: [String], listPlan: String, worstCase: String) -> [Command] {
        [
            ("cairn --help (no store opened): baseline", ["--help"], ""),
            ("cairn runs list (20 newest)", ["runs", "list"] + options, "target < 50 ms; plan: \(listPlan)"),
            ("cairn runs list --json", ["runs", "list", "--json"] + options, ""),
            ("cairn runs list --page 100", ["runs", "list", "--page", "100"] + options, "offset 1,980"),
            ("cairn runs list --pipeline pipeline_9 --status failed", ["runs", "list", "--pipeline", "pipeline_9", "--status", "failed"] + options, ""),
            ("cairn runs list --pipeline pipeline_3 --status failed", ["runs", "list", "--pipeline", "pipeline_3", "--status", "failed"] + options, worstCase),
            ("cairn runs show (newest run)", ["runs", "show", newest] + options, "target < 50 ms"),
            ("cairn runs show (run 50,000, by name)", ["runs", "show", middle] + options, "target < 50 ms"),
            ("cairn runs show --json (run 50,000)", ["runs", "show", middle, "--json"] + options, ""),
            ("cairn runs dag (run 50,000)", ["runs", "dag", middle] + options, ""),
            ("cairn status (counts 1,000,000 step runs)", ["status"] + options, "not a target"),
        ]
    }

    /// The median and the slowest time of each command, in milliseconds.
    func figures(_ commands: [Command]) throws -> [Figure] {
        var figures: [Figure] = []
        for (name, arguments, note) in commands {
            var times: [Double] = []
            for _ in 0..<BenchmarkSize.repetitions(20) {
                times.append(try measure { try ChildProcess.run(executable, arguments: arguments, environment: environment) })
            }
            times.removeFirst()
            times.sort()
            figures.append(Figure(name: "\(prefix)\(name): median of 20", value: times[times.count / 2] * 1000, unit: "ms", note: note))
            figures.append(Figure(name: "\(prefix)\(name): slowest of 20", value: times[times.count - 1] * 1000, unit: "ms"))
        }
        return figures
    }
}
