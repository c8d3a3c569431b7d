import Cairn
import CairnCommands
import Foundation

// Pipelines as whole processes, for the benchmark: start, open the store given by --store, run one
// pipeline (`hello` unless another is named first), record everything, exit.

/// One step.
let greet = ClosureStep<String, String>("greet", inputs: ["name"]) { "Hello, \($0)!" }
let hello = Pipeline("hello") { _ = greet("Cairn") }

/// A 1 → 50 → 1 fan-out whose 50 steps each sleep 100 ms, with default options.
let nap = ClosureStep<Int, Int>("nap", inputs: ["value"]) { value in
    try await Task.sleep(for: .milliseconds(100))
    return value + 1
}
let seed = ClosureStep<Int, Int>("seed", inputs: ["value"]) { $0 }
let total = ClosureStep<[Int], Int>("total", inputs: ["values"]) { $0.reduce(0, +) }
let sleepyFanOut = Pipeline("sleepy_fan_out", options: PipelineOptions(enableCache: false)) {
    let source = seed(0)
    _ = total(.gathering((0..<50).map { _ in nap(source) }))
}

var arguments = Array(CommandLine.arguments.dropFirst())
let name = arguments.first.flatMap { $0.hasPrefix("-") ? nil : arguments.removeFirst() } ?? "hello"
await CairnCLI.main(pipelines: [hello, sleepyFanOut], arguments: ["run", name] + arguments)
