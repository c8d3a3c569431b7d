import Cairn
import Foundation

// `swift run -c release cairn-benchmarks [scenario… | --all]`: runs each scenario in a process of its
// own and prints its figures with the process's peak memory. `--all` runs every scenario, the slow
// and the `cli` one too; `CAIRN_BENCH_SIZE=tiny` makes each tiny (see `BenchmarkSize`).
let arguments = Array(CommandLine.arguments.dropFirst())
let defaultScenarios = ["chain", "cached", "fanout", "artifact", "process", "logs", "dynamic10k", "dynamic10k-memory-fs", "dynamic100k", "dynamic-growth", "wide1000", "store-calls"]

if arguments.first == "--child" {
    // A child runs exactly one known scenario and never starts children of its own.
    guard arguments.count == 2, let scenario = Scenarios.all[arguments[1]] else {
        FileHandle.standardError.write(Data("unknown scenario '\(arguments.dropFirst().joined(separator: " "))'\n".utf8))
        exit(2)
    }
    for figure in try await scenario() {
        print([figure.name, String(format: "%.3f", figure.value), figure.unit, figure.note].joined(separator: "\t"))
    }
    print(["\(arguments[1]): peak resident memory", String(format: "%.1f", peakResidentMegabytes()), "MB", ""].joined(separator: "\t"))
} else {
    let names = arguments == ["--all"] ? Scenarios.all.keys.sorted() : arguments.isEmpty ? defaultScenarios : arguments
    if let unknown = names.first(where: { Scenarios.all[$0] == nil }) {
        FileHandle.standardError.write(Data("unknown scenario '\(unknown)'; known: \(Scenarios.all.keys.sorted().joined(separator: ", "))\n".utf8))
        exit(2)
    }
    print("| figure | value | unit | note |\n|---|---:|---|---|")
    for name in names {
        let output = try ChildProcess.run(CommandLine.arguments[0], arguments: ["--child", name])
        for line in output.split(separator: "\n") {
            print("| " + line.split(separator: "\t", omittingEmptySubsequences: false).joined(separator: " | ") + " |")
        }
    }
}
