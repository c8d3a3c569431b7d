import Cairn

// A one-step pipeline as a whole process, for the benchmark: start, open the store given by
// $CAIRN_HOME, run one step, record everything, exit.
let greet = Step<String, String>("greet", inputs: ["name"]) { "Hello, \($0)!" }
let hello = Pipeline("hello") { _ = greet("Cairn") }
await CairnCLI.main(pipelines: [hello], arguments: ["run", "hello"] + CommandLine.arguments.dropFirst())
