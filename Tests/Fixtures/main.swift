import Cairn
import CairnCommands
import CairnFixturePipelines
import CairnTesting

// Serves the fixture pipelines, and those of the orchestrator conformance suite, so that tests can
// run them with the subprocess orchestrator.
await CairnCLI.main(pipelines: FixturePipelines.all + OrchestratorConformance.pipelines)
