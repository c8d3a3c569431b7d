import Cairn

@Fingerprinted
func tokenize(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }

let options = StepOptions(cachePolicy: CachePolicy(
    ignoredInputs: ["timestamp"],               // not in the key
    fileDependencies: ["config/labels.txt"],    // the file's contents are in the key
    sourceDependencies: [tokenizeFingerprint],  // from @Fingerprinted func tokenize(…)
    expiresAfter: .seconds(7 * 86_400)))        // a week; `expires_after: 604800` in a YAML file

/// A stand-in for a service a pipeline's hooks connect to.
enum Warehouse {
    static func connect() async throws -> String { "warehouse" }
    static func disconnect() async {}
}

func notify(_ message: String) async { print(message) }

let tuned = Pipeline(
    "tuned",
    options: PipelineOptions(
        runNameTemplate: "{pipeline}-{experiment}-{date}", runNameSubstitutions: ["experiment": "lr"],
        environment: ["OMP_NUM_THREADS": "2"],
        retry: RetryPolicy(maxRetries: 2, delay: .seconds(1), backoff: 2),  // waits 1 s, then 2 s
        executionMode: .stopOnFailure, maxConcurrency: 4),
    hooks: PipelineHooks(
        onInit: { try await Warehouse.connect() },             // steps read it: StepContext.current?.initState
        onFailure: { run, failure in await notify("\(run.name): \(failure.steps.map(\.invocation))") },  // RunFailure
        onCleanup: { _ in await Warehouse.disconnect() })     // always runs, last
) { _ = trainStep(data: loadStep(path: "data.csv")) }
let careful = trainStep.withHooks(StepHooks(onFailure: { stepRun, error in print(stepRun.invocation, error) })).named("train_careful")  // the error it threw
let uncached = tuned.withOptions(forStep: "train") { $0.enableCache = false }  // any step's options, in a copy
