/// Options of a step, fixed where the step is declared.
///
/// A pipeline's options are defaults for its steps; a step's own options win: dictionaries merge
/// (the step's entries replace the pipeline's), secret lists concatenate, scalars replace.
///
/// ## Topics
///
/// ### Making options
///
/// - ``init(enableCache:cachePolicy:environment:secrets:retry:enableStepLogs:enableArtifactMetadata:extra:settings:model:artifactNames:)``
/// - ``init(from:)``
///
/// ### Caching
///
/// - ``enableCache``
/// - ``cachePolicy``
///
/// ### Environment and secrets
///
/// - ``environment``
/// - ``secrets``
///
/// ### Failures
///
/// - ``retry``
///
/// ### What is recorded
///
/// - ``enableStepLogs``
/// - ``enableArtifactMetadata``
/// - ``artifactNames``
/// - ``addingArtifactNames(_:)``
///
/// ### Free-form values
///
/// - ``extra``
/// - ``settings``
/// - ``model``
///
/// ### Combining options
///
/// - ``overlaid(with:)``
/// - ``resolved(in:)``
/// - ``ResolvedStepOptions``
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
    /// Free-form values, added to the pipeline's.
    public var extra: [String: JSONValue]
    /// Settings keyed by stack component, added to the pipeline's.
    public var settings: [String: JSONValue]
    /// The model the step's outputs are linked to; `nil` follows the pipeline.
    public var model: String?
    /// Artifact names for outputs, by output name, replacing the default `{pipeline}::{step}::{output}`.
    /// Placeholders: `{pipeline}`, `{step}`, `{output}`, `{run}`, `{date}`, `{time}`.
    public var artifactNames: [String: String]

    /// Makes options; every option defaults to following the pipeline.
    public init(
        enableCache: Bool? = nil, cachePolicy: CachePolicy? = nil, environment: [String: String] = [:],
        secrets: [String] = [], retry: RetryPolicy? = nil, enableStepLogs: Bool? = nil, enableArtifactMetadata: Bool? = nil,
        extra: [String: JSONValue] = [:], settings: [String: JSONValue] = [:], model: String? = nil,
        artifactNames: [String: String] = [:]
    ) {
        self.enableCache = enableCache
        self.cachePolicy = cachePolicy
        self.environment = environment
        self.secrets = secrets
        self.retry = retry
        self.enableStepLogs = enableStepLogs
        self.enableArtifactMetadata = enableArtifactMetadata
        self.extra = extra
        self.settings = settings
        self.model = model
        self.artifactNames = artifactNames
    }

    /// These options with `patch` laid over them: its set values replace, its dictionaries merge,
    /// its lists are appended. A run configuration's step entry is applied this way.
    public func overlaid(with patch: StepOptions) -> StepOptions {
        var result = self
        result.enableCache = patch.enableCache ?? enableCache
        result.cachePolicy = patch.cachePolicy ?? cachePolicy
        result.environment.merge(patch.environment) { _, new in new }
        result.secrets += patch.secrets.filter { !secrets.contains($0) }
        result.retry = patch.retry ?? retry
        result.enableStepLogs = patch.enableStepLogs ?? enableStepLogs
        result.enableArtifactMetadata = patch.enableArtifactMetadata ?? enableArtifactMetadata
        result.extra.merge(patch.extra) { _, new in new }
        result.settings.merge(patch.settings) { _, new in new }
        result.model = patch.model ?? model
        result.artifactNames.merge(patch.artifactNames) { _, new in new }
        return result
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
            enableArtifactMetadata: enableArtifactMetadata ?? pipeline.enableArtifactMetadata,
            extra: pipeline.extra.merging(extra) { _, step in step },
            settings: pipeline.settings.merging(settings) { _, step in step },
            model: model ?? pipeline.model)
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
    /// Free-form values.
    public var extra: [String: JSONValue]
    /// Settings keyed by stack component.
    public var settings: [String: JSONValue]
    /// The model the step's outputs are linked to.
    public var model: String?
}

extension StepOptions {
    /// A copy whose artifact names for the outputs in `names` are those: what `@Step(artifacts:)` declares.
    public func addingArtifactNames(_ names: [String: String]) -> StepOptions {
        var copy = self
        copy.artifactNames.merge(names) { _, declared in declared }
        return copy
    }
}
