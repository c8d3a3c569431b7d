import Cairn
import Foundation

// `swift run -c release cairn-benchmarks [scenario…]`: runs each scenario in a process of its own
// (`cli`, not run by default, needs the release `cairn` too: see CommandLineScenario)
// and prints its figures with the process's peak memory.
let arguments = Array(CommandLine.arguments.dropFirst())

if arguments.first == "--child", let name = arguments.dropFirst().first, let scenario = Scenarios.all[name] {
    for figure in try await scenario() {
        print([figure.name, String(format: "%.3f", figure.value), figure.unit, figure.note].joined(separator: "\t"))
    }
    print(["\(name): peak resident memory", String(format: "%.1f", peakResidentMegabytes()), "MB", ""].joined(separator: "\t"))
} else {
    let names = arguments.isEmpty ? ["chain", "cached", "fanout", "artifact", "process", "logs", "dynamic10k", "dynamic100k"] : arguments
    print("| figure | value | unit | note |\n|---|---:|---|---|")
    for name in names {
        let output = try ChildProcess.run(CommandLine.arguments[0], arguments: ["--child", name])
        for line in output.split(separator: "\n") {
            print("| " + line.split(separator: "\t", omittingEmptySubsequences: false).joined(separator: " | ") + " |")
        }
    }
}
