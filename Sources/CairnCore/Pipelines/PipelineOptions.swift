import Foundation

/// Options of a pipeline, fixed where the pipeline is declared.
///
/// ## Topics
///
/// ### Making options
///
/// - ``init(runNameTemplate:runNameSubstitutions:enableCache:cachePolicy:environment:secrets:retry:enableStepLogs:enableArtifactMetadata:executionMode:maxConcurrency:tags:extra:settings:model:)``
/// - ``init(from:)``
///
/// ### Run names
///
/// - ``runNameTemplate``
/// - ``runNameSubstitutions``
/// - ``RunNameTemplate``
///
/// ### Running
///
/// - ``executionMode``
/// - ``maxConcurrency``
/// - ``defaultMaxConcurrency``
/// - ``ExecutionMode``
///
/// ### Defaults for the steps
///
/// - ``enableCache``
/// - ``cachePolicy``
/// - ``environment``
/// - ``secrets``
/// - ``retry``
/// - ``enableStepLogs``
/// - ``enableArtifactMetadata``
///
/// ### Recorded with each run
///
/// - ``tags``
/// - ``extra``
/// - ``settings``
/// - ``model``
public struct PipelineOptions: Sendable, Codable, Equatable {
    /// The template for run names. Placeholders: `{pipeline}`, `{date}`, `{time}`, and any key of
    /// ``runNameSubstitutions``.
    public var runNameTemplate: String
    /// Extra placeholders for ``runNameTemplate``.
    public var runNameSubstitutions: [String: String]
    /// Whether steps may reuse earlier outputs; steps may override it.
    public var enableCache: Bool
    /// What goes into the steps' cache keys; steps may override it.
    public var cachePolicy: CachePolicy
    /// Environment variables every step sees while it runs.
    public var environment: [String: String]
    /// Names of the secrets every step needs.
    public var secrets: [String]
    /// How failing steps are retried; steps may override it.
    public var retry: RetryPolicy?
    /// Whether what steps log is stored with their step runs; steps may override it.
    public var enableStepLogs: Bool
    /// Whether automatic metadata (size, count, shape, preview) is recorded for artifacts; steps may override it.
    public var enableArtifactMetadata: Bool
    /// What the run does when a step fails.
    public var executionMode: ExecutionMode
    /// How many steps may run at once; `nil` means ``defaultMaxConcurrency``.
    public var maxConcurrency: Int?
    /// Tags recorded with each run, to find runs by.
    public var tags: [String]
    /// Free-form values recorded with each run; steps may add their own.
    public var extra: [String: JSONValue]
    /// Settings keyed by stack component (`orchestrator`, `docker`, …): each component reads its own.
    public var settings: [String: JSONValue]
    /// The model runs are linked to, by name; the model registry gives it meaning.
    public var model: String?

    /// Makes options with Cairn's defaults.
    public init(
        runNameTemplate: String = RunNameTemplate.defaultTemplate,
        runNameSubstitutions: [String: String] = [:],
        enableCache: Bool = true,
        cachePolicy: CachePolicy = .default,
        environment: [String: String] = [:],
        secrets: [String] = [],
        retry: RetryPolicy? = nil,
        enableStepLogs: Bool = true,
        enableArtifactMetadata: Bool = true,
        executionMode: ExecutionMode = .continueOnFailure,
        maxConcurrency: Int? = nil,
        tags: [String] = [],
        extra: [String: JSONValue] = [:],
        settings: [String: JSONValue] = [:],
        model: String? = nil
    ) {
        self.runNameTemplate = runNameTemplate
        self.runNameSubstitutions = runNameSubstitutions
        self.enableCache = enableCache
        self.cachePolicy = cachePolicy
        self.environment = environment
        self.secrets = secrets
        self.retry = retry
        self.enableStepLogs = enableStepLogs
        self.enableArtifactMetadata = enableArtifactMetadata
        self.executionMode = executionMode
        self.maxConcurrency = maxConcurrency
        self.tags = tags
        self.extra = extra
        self.settings = settings
        self.model = model
    }
}

extension PipelineOptions {
    /// How many steps run at once when a pipeline sets no ``maxConcurrency``: 32, or on a machine with
    /// more than 28 cores, the number of cores plus 4.
    ///
    /// Chosen for ML steps, not for the core count: most step code spends its time waiting, on a
    /// file, a network, a GPU, a child process or C code, and each step runs on a thread of its own,
    /// so independent steps that wait overlap up to this limit whatever the machine. 32 is the cap of
    /// Python's thread pools and of Prefect's default task runner, which serve the same workloads;
    /// CPU-bound steps beyond the core count share the cores. Set ``maxConcurrency`` lower for steps
    /// that each need much memory.
    public static var defaultMaxConcurrency: Int {
        max(32, ProcessInfo.processInfo.activeProcessorCount + 4)
    }
}
