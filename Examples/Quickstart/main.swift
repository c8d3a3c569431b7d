import Cairn
import CairnCommands

// `swift run quickstart` runs the pipeline; any arguments go to Cairn's commands instead, for
// example `swift run quickstart run iris_training --param seed=7 --orchestrator subprocess`.
let arguments = Array(CommandLine.arguments.dropFirst())
await CairnCLI.main(pipelines: [irisTraining], arguments: arguments.isEmpty ? ["run", "iris_training"] : arguments)
