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

    @Test("a retry's delay and a cache's expiry are durations, recorded as numbers of seconds as before")
    func durationsRecordedAsSeconds() throws {
        let retry = RetryPolicy(maxRetries: 3, delay: .milliseconds(1_500), backoff: 2)
        #expect(try CanonicalJSON.string(encoding: retry) == #"{"backoff":2,"delay":1.5,"maxRetries":3}"#)
        #expect(try CanonicalJSON.decode(RetryPolicy.self, from: #"{"backoff":2,"delay":1.5,"maxRetries":3}"#) == retry)
        #expect(try CanonicalJSON.decode(RetryPolicy.self, from: #"{"maxRetries":1}"#) == RetryPolicy(maxRetries: 1))
        #expect([1, 2, 3].map(retry.wait(beforeRetry:)) == [.milliseconds(1_500), .seconds(3), .seconds(6)])
        #expect(RetryPolicy(maxRetries: 9, delay: .seconds(1), backoff: 1e300).wait(beforeRetry: 9) == .seconds(1e15), "bounded, not a trap")
        let cache = CachePolicy(expiresAfter: .seconds(7 * 86_400))
        let json = try CanonicalJSON.string(encoding: cache)
        #expect(json.contains(#""expiresAfter":604800"#), "\(json)")
        #expect(try CanonicalJSON.decode(CachePolicy.self, from: json) == cache)
        #expect(try CanonicalJSON.decode(CachePolicy.self, from: "{}").expiresAfter == nil)
        #expect(throws: DecodingError.self) { try CanonicalJSON.decode(RetryPolicy.self, from: #"{"delay":-1,"maxRetries":1}"#) }
        #expect(throws: DecodingError.self) { try CanonicalJSON.decode(CachePolicy.self, from: #"{"expiresAfter":"inf"}"#) }
    }
}
