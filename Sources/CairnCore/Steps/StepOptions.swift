/// Options of a step, fixed where the step is declared.
///
/// A pipeline's options are defaults for its steps; a step's own options win: dictionaries merge
/// (the step's entries replace the pipeline's), secret lists concatenate, scalars replace.
public struct StepOptions: Sendable, Codable, Equatable {
    /// Whether the step may reuse a previous run's outputs; `nil` follows the pipeline.
    public var enableCache: Bool?
    /// What goes into the step's cache key; `nil` follows the pipeline.
    public var cachePolicy: CachePolicy?
    /// Environment variables the step sees while it runs, added to the pipeline's.
    public var environment: [String: String]
    /// Names of the secrets the step needs, added to the pipeline's.
    public var secrets: [String]
    /// How a failing step is retried; `nil` follows the pipeline.
    public var retry: RetryPolicy?
    /// Whether what the step logs is stored with its step run; `nil` follows the pipeline.
    public var enableStepLogs: Bool?
    /// Whether automatic metadata (size, count, shape, preview) is recorded for outputs; `nil` follows the pipeline.
    public var enableArtifactMetadata: Bool?
    /// Artifact names for outputs, by output name, replacing the default `{pipeline}::{step}::{output}`.
    /// Placeholders: `{pipeline}`, `{step}`, `{output}`, `{run}`, `{date}`, `{time}`.
    public var artifactNames: [String: String]

    /// Makes options; every option defaults to following the pipeline.
    public init(
        enableCache: Bool? = nil, cachePolicy: CachePolicy? = nil, environment: [String: String] = [:],
        secrets: [String] = [], retry: RetryPolicy? = nil, enableStepLogs: Bool? = nil, enableArtifactMetadata: Bool? = nil,
        artifactNames: [String: String] = [:]
    ) {
        self.enableCache = enableCache
        self.cachePolicy = cachePolicy
        self.environment = environment
        self.secrets = secrets
        self.retry = retry
        self.enableStepLogs = enableStepLogs
        self.enableArtifactMetadata = enableArtifactMetadata
        self.artifactNames = artifactNames
    }

    /// The options that apply when the step runs in `pipeline`.
    public func resolved(in pipeline: PipelineOptions) -> ResolvedStepOptions {
        var secrets = pipeline.secrets
        for secret in self.secrets where !secrets.contains(secret) { secrets.append(secret) }
        return ResolvedStepOptions(
            enableCache: enableCache ?? pipeline.enableCache,
            cachePolicy: cachePolicy ?? pipeline.cachePolicy,
            environment: pipeline.environment.merging(environment) { _, step in step },
            secrets: secrets,
            retry: retry ?? pipeline.retry,
            enableStepLogs: enableStepLogs ?? pipeline.enableStepLogs,
            enableArtifactMetadata: enableArtifactMetadata ?? pipeline.enableArtifactMetadata)
    }
}

/// A step's options after merging the pipeline's.
public struct ResolvedStepOptions: Sendable, Equatable {
    /// Whether the step may reuse a previous run's outputs.
    public var enableCache: Bool
    /// What goes into the step's cache key.
    public var cachePolicy: CachePolicy
    /// Environment variables the step sees.
    public var environment: [String: String]
    /// Names of the secrets the step needs.
    public var secrets: [String]
    /// How a failing step is retried.
    public var retry: RetryPolicy?
    /// Whether what the step logs is stored.
    public var enableStepLogs: Bool
    /// Whether automatic artifact metadata is recorded.
    public var enableArtifactMetadata: Bool
}
