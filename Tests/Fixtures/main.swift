import Cairn
import CairnFixturePipelines

// Serves the fixture pipelines, so that tests can run them with the subprocess orchestrator.
await CairnCLI.main(pipelines: FixturePipelines.all)
