/// What a run configuration changes: the run name, options, parameters, and per-step options and
/// parameters. Anything left `nil` or empty keeps what the pipeline declares.
///
/// A YAML file is the usual source (`RunConfigurationFile` in the `Cairn` module); this is the
/// same content without the file.
///
/// ```swift
/// var overrides = RunOverrides(enableCache: false, parameters: ["learningRate": .number(0.05)])
/// overrides.steps["train"] = StepOverrides(parameters: ["epochs": .number(10)])
/// let compiled = try training.compile(overrides: overrides)
/// ```
public struct RunOverrides: Sendable, Equatable {
    /// Replaces ``PipelineOptions/runNameTemplate``.
    public var runNameTemplate: String?
    /// Replaces ``PipelineOptions/enableCache``.
    public var enableCache: Bool?
    /// Replaces ``PipelineOptions/executionMode``.
    public var executionMode: ExecutionMode?
    /// Replaces ``PipelineOptions/maxConcurrency``.
    public var maxConcurrency: Int?
    /// Replaces ``PipelineOptions/enableStepLogs``.
    public var enableStepLogs: Bool?
    /// Replaces ``PipelineOptions/enableArtifactMetadata``.
    public var enableArtifactMetadata: Bool?
    /// Replaces ``PipelineOptions/cachePolicy``.
    public var cachePolicy: CachePolicy?
    /// Replaces ``PipelineOptions/retry``.
    public var retry: RetryPolicy?
    /// Replaces ``PipelineOptions/model``.
    public var model: String?
    /// Merged into ``PipelineOptions/environment``.
    public var environment: [String: String] = [:]
    /// Added to ``PipelineOptions/secrets``.
    public var secrets: [String] = []
    /// Added to ``PipelineOptions/tags``.
    public var tags: [String] = []
    /// Merged into ``PipelineOptions/extra``.
    public var extra: [String: JSONValue] = [:]
    /// Merged into ``PipelineOptions/settings``.
    public var settings: [String: JSONValue] = [:]
    /// Pipeline parameter values, by the parameter type's coding keys.
    public var parameters: [String: JSONValue]
    /// Per-step overrides, by invocation name.
    public var steps: [String: StepOverrides]

    /// Makes overrides; by default they change nothing.
    public init(
        runNameTemplate: String? = nil, enableCache: Bool? = nil, executionMode: ExecutionMode? = nil,
        maxConcurrency: Int? = nil, parameters: [String: JSONValue] = [:], steps: [String: StepOverrides] = [:]
    ) {
        self.runNameTemplate = runNameTemplate
        self.enableCache = enableCache
        self.executionMode = executionMode
        self.maxConcurrency = maxConcurrency
        self.parameters = parameters
        self.steps = steps
    }

    /// Sets the options these overrides change.
    public func apply(to options: inout PipelineOptions) {
        if let runNameTemplate { options.runNameTemplate = runNameTemplate }
        if let enableCache { options.enableCache = enableCache }
        if let executionMode { options.executionMode = executionMode }
        if let maxConcurrency { options.maxConcurrency = maxConcurrency }
        if let enableStepLogs { options.enableStepLogs = enableStepLogs }
        if let enableArtifactMetadata { options.enableArtifactMetadata = enableArtifactMetadata }
        if let cachePolicy { options.cachePolicy = cachePolicy }
        if let retry { options.retry = retry }
        if let model { options.model = model }
        options.environment.merge(environment) { _, new in new }
        options.secrets += secrets.filter { !options.secrets.contains($0) }
        options.tags += tags.filter { !options.tags.contains($0) }
        options.extra.merge(extra) { _, new in new }
        options.settings.merge(settings) { _, new in new }
    }
}
