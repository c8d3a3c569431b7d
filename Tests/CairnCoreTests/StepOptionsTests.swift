import CairnCore
import Testing

@Suite("Option resolution")
struct StepOptionsTests {
    @Test("a step's options win over its pipeline's: dictionaries merge, secret lists concatenate, scalars replace")
    func resolution() {
        let pipeline = PipelineOptions(
            enableCache: true, environment: ["A": "pipeline", "B": "pipeline"], secrets: ["aws"], retry: RetryPolicy(maxRetries: 1),
            tags: ["nightly"], extra: ["owner": "team"], settings: ["orchestrator": ["cpus": 2]], model: "classifier")
        let step = StepOptions(
            enableCache: false, environment: ["B": "step"], secrets: ["db", "aws"], extra: ["stage": "train"],
            settings: ["docker": ["image": "swift"]], model: "regressor")
        let resolved = step.resolved(in: pipeline)
        #expect(resolved.enableCache == false)
        #expect(resolved.environment == ["A": "pipeline", "B": "step"])
        #expect(resolved.secrets == ["aws", "db"])
        #expect(resolved.retry == RetryPolicy(maxRetries: 1), "unset on the step: the pipeline's")
        #expect(resolved.extra == ["owner": "team", "stage": "train"])
        #expect(resolved.settings == ["orchestrator": ["cpus": 2], "docker": ["image": "swift"]])
        #expect(resolved.model == "regressor")
        #expect(StepOptions().resolved(in: pipeline).model == "classifier")
    }

    @Test("a patch laid over options replaces what it sets and keeps the rest")
    func overlay() {
        let base = StepOptions(enableCache: true, environment: ["A": "1"], secrets: ["s1"], model: "m")
        let patched = base.overlaid(with: StepOptions(environment: ["B": "2"], secrets: ["s2"], enableStepLogs: false))
        #expect(patched.enableCache == true && patched.model == "m")
        #expect(patched.environment == ["A": "1", "B": "2"])
        #expect(patched.secrets == ["s1", "s2"])
        #expect(patched.enableStepLogs == false)
    }

    @Test("options recorded by an older version still decode, taking defaults for what is missing")
    func tolerantDecoding() throws {
        let old = try CanonicalJSON.decode(PipelineOptions.self, from: #"{"runNameTemplate":"x","enableCache":false,"executionMode":"fail_fast"}"#)
        #expect(old.runNameTemplate == "x" && old.enableCache == false && old.executionMode == .failFast)
        #expect(old.tags == [] && old.enableStepLogs && old.cachePolicy == .default)
        let step = try CanonicalJSON.decode(StepOptions.self, from: #"{"enableCache":true}"#)
        #expect(step == StepOptions(enableCache: true))
    }
}
