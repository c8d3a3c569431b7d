import CairnCore
import Foundation

/// One key a configuration file may set at one level (the top level, or a step), with how it is
/// read and how a template shows its current value.
///
/// The tables in ``ConfigurationKeys`` list every key; adding a key to the file format is adding an
/// entry there.
struct ConfigurationKey<Overrides, Current>: Sendable {
    /// The key as written in the file, in snake_case.
    let name: String
    /// What the key sets, written above it in a template.
    let help: String
    /// Reads the key's value into the overrides.
    let read: @Sendable (ConfigurationNode, inout Overrides) throws -> Void
    /// The key's current value, for a template.
    let current: @Sendable (Current) -> TemplateValue
}

/// A key's value as a template writes it.
indirect enum TemplateValue {
    /// A value that is set: `key: value`.
    case value(JSONValue)
    /// A value that is not set, shown commented out with what applies: `# key: value`.
    case unset(JSONValue)
    /// A mapping, written one member per line below the key.
    case mapping([(key: String, value: TemplateValue)])
}

/// A step invocation of a compiled pipeline: what a template shows for a step.
struct InvocationInPipeline {
    let pipeline: CompiledPipeline
    let invocation: String

    /// The step's own options.
    var options: StepOptions {
        pipeline.definitions[invocation]?.options ?? StepOptions()
    }
}

/// The keys of a configuration file, level by level.
enum ConfigurationKeys {
    /// The top level: the run name, the pipeline's options, its parameters and its steps.
    static let run: [ConfigurationKey<RunOverrides, CompiledPipeline>] = [
        ConfigurationKey(
            name: "run_name", help: "The run name template: {pipeline}, {date} and {time} are replaced; two runs never share a name.",
            read: { node, overrides in
                let text = try node.string()
                do {
                    _ = try RunNameTemplate(text)
                } catch let CairnError.invalidTemplate(_, reason) {
                    throw node.error("wrong value for \(node.path): \(reason)")
                }
                overrides.runNameTemplate = text
            },
            current: { .value(.string($0.options.runNameTemplate)) }),
        ConfigurationKey(
            name: "enable_cache", help: "Whether steps may reuse outputs of earlier runs; a step's own enable_cache wins.",
            read: { $1.enableCache = try $0.bool() },
            current: { .value(.bool($0.options.enableCache)) }),
        ConfigurationKey(
            name: "execution_mode",
            help: "What the run does when a step fails: \(ExecutionMode.allCases.map(\.rawValue).joined(separator: ", ")).",
            read: { $1.executionMode = try $0.choice(ExecutionMode.self) },
            current: { .value(.string($0.options.executionMode.rawValue)) }),
        ConfigurationKey(
            name: "max_concurrency", help: "How many steps may run at once; unset, max(32, cores + 4).",
            read: { $1.maxConcurrency = try $0.integer(atLeast: 1) },
            current: { pipeline in
                pipeline.options.maxConcurrency.map { .value(.number(Double($0))) }
                    ?? .unset(.number(Double(PipelineOptions.defaultMaxConcurrency)))
            }),
        ConfigurationKey(
            name: "enable_step_logs", help: "Whether what steps log is stored with their step runs.",
            read: { $1.enableStepLogs = try $0.bool() },
            current: { .value(.bool($0.options.enableStepLogs)) }),
        ConfigurationKey(
            name: "enable_artifact_metadata", help: "Whether outputs get automatic metadata (size, count, shape, preview).",
            read: { $1.enableArtifactMetadata = try $0.bool() },
            current: { .value(.bool($0.options.enableArtifactMetadata)) }),
        ConfigurationKey(
            name: "cache_policy", help: "What goes into cache keys: \(ConfigurationKeys.cachePolicyKeys.map(\.key).joined(separator: ", ")).",
            read: { $1.cachePolicy = try $0.decoded(CachePolicy.self, keys: ConfigurationKeys.cachePolicyKeys) },
            current: { .value(ConfigurationKeys.snakeCased($0.options.cachePolicy, keys: ConfigurationKeys.cachePolicyKeys)) }),
        ConfigurationKey(
            name: "retry", help: "How failing steps are retried: max_retries, delay (seconds), backoff (a factor).",
            read: { $1.retry = try $0.decoded(RetryPolicy.self, keys: ConfigurationKeys.retryKeys) },
            current: { pipeline in
                pipeline.options.retry.map { .value(ConfigurationKeys.snakeCased($0, keys: ConfigurationKeys.retryKeys)) }
                    ?? .unset(["max_retries": 0, "delay": 0, "backoff": 1])
            }),
        ConfigurationKey(
            name: "environment", help: "Environment variables every step sees, merged into the pipeline's.",
            read: { $1.environment = try $0.stringMembers() },
            current: { .value(.object($0.options.environment.mapValues(JSONValue.string))) }),
        ConfigurationKey(
            name: "secrets", help: "Names of secrets every step needs, added to the pipeline's.",
            read: { $1.secrets = try $0.strings() },
            current: { .value(.array($0.options.secrets.map(JSONValue.string))) }),
        ConfigurationKey(
            name: "tags", help: "Tags recorded with the run, added to the pipeline's.",
            read: { $1.tags = try $0.strings() },
            current: { .value(.array($0.options.tags.map(JSONValue.string))) }),
        ConfigurationKey(
            name: "extra", help: "Free-form values recorded with the run, merged into the pipeline's.",
            read: { $1.extra = try $0.jsonMembers() },
            current: { .value(.object($0.options.extra)) }),
        ConfigurationKey(
            name: "settings", help: "Settings by stack component (orchestrator, docker, …), merged into the pipeline's.",
            read: { $1.settings = try $0.jsonMembers() },
            current: { .value(.object($0.options.settings)) }),
        ConfigurationKey(
            name: "model", help: "The model runs are linked to, by name.",
            read: { $1.model = try $0.string() },
            current: { pipeline in pipeline.options.model.map { .value(.string($0)) } ?? .unset(.string("")) }),
        ConfigurationKey(
            name: "parameters", help: "The pipeline's parameters, by name.",
            read: { $1.parameters = try $0.jsonMembers() },
            current: { pipeline in
                let values = (try? CanonicalJSON.decode(JSONValue.self, from: pipeline.parametersJSON))?.objectValue ?? [:]
                return .mapping(values.sorted { $0.key < $1.key }.map { ($0.key, .value($0.value)) })
            }),
        ConfigurationKey(
            name: "steps",
            help: "Per step, by invocation name: enable_cache (unset, the step follows the pipeline) and parameters, "
                + "which replace the values the pipeline passes to that step whatever the parameters above say. "
                + "The current values are commented out; uncomment those you mean to fix.",
            read: { node, overrides in
                for (invocation, entry) in try node.members() {
                    var stepOverrides = StepOverrides()
                    try entry.read(into: &stepOverrides, keys: ConfigurationKeys.step)
                    overrides.steps[invocation] = stepOverrides
                }
            },
            current: { pipeline in
                .mapping(pipeline.graph.nodes.map { node in
                    let source = InvocationInPipeline(pipeline: pipeline, invocation: node.invocation)
                    return (node.invocation, .mapping(ConfigurationKeys.step.map { ($0.name, $0.current(source)) }))
                })
            }),
    ]

    /// A step's entry under `steps:`.
    static let step: [ConfigurationKey<StepOverrides, InvocationInPipeline>] = [
        ConfigurationKey(
            name: "enable_cache", help: "Whether the step may reuse outputs of earlier runs.",
            read: { $1.enableCache = try $0.bool() },
            current: { source in
                source.pipeline.definitions[source.invocation]?.options.enableCache.map { .value(.bool($0)) }
                    ?? .unset(.bool(source.pipeline.options.enableCache))
            }),
        ConfigurationKey(
            name: "enable_step_logs", help: "Whether what the step logs is stored.",
            read: { $1.options.enableStepLogs = try $0.bool() },
            current: { source in source.options.enableStepLogs.map { .value(.bool($0)) } ?? .unset(.bool(source.pipeline.options.enableStepLogs)) }),
        ConfigurationKey(
            name: "enable_artifact_metadata", help: "Whether the step's outputs get automatic metadata.",
            read: { $1.options.enableArtifactMetadata = try $0.bool() },
            current: { source in
                source.options.enableArtifactMetadata.map { .value(.bool($0)) } ?? .unset(.bool(source.pipeline.options.enableArtifactMetadata))
            }),
        ConfigurationKey(
            name: "cache_policy", help: "What goes into the step's cache key.",
            read: { $1.options.cachePolicy = try $0.decoded(CachePolicy.self, keys: ConfigurationKeys.cachePolicyKeys) },
            current: { source in
                source.options.cachePolicy.map { .value(ConfigurationKeys.snakeCased($0, keys: ConfigurationKeys.cachePolicyKeys)) }
                    ?? .unset(ConfigurationKeys.snakeCased(source.pipeline.options.cachePolicy, keys: ConfigurationKeys.cachePolicyKeys))
            }),
        ConfigurationKey(
            name: "retry", help: "How the step is retried when it fails.",
            read: { $1.options.retry = try $0.decoded(RetryPolicy.self, keys: ConfigurationKeys.retryKeys) },
            current: { source in
                (source.options.retry ?? source.pipeline.options.retry).map { .unset(ConfigurationKeys.snakeCased($0, keys: ConfigurationKeys.retryKeys)) }
                    ?? .unset(["max_retries": 0, "delay": 0, "backoff": 1])
            }),
        ConfigurationKey(
            name: "environment", help: "Environment variables the step sees, merged into its own.",
            read: { $1.options.environment = try $0.stringMembers() },
            current: { .unset(.object($0.options.environment.mapValues(JSONValue.string))) }),
        ConfigurationKey(
            name: "secrets", help: "Names of secrets the step needs, added to its own.",
            read: { $1.options.secrets = try $0.strings() },
            current: { .unset(.array($0.options.secrets.map(JSONValue.string))) }),
        ConfigurationKey(
            name: "extra", help: "Free-form values, merged into the step's.",
            read: { $1.options.extra = try $0.jsonMembers() },
            current: { .unset(.object($0.options.extra)) }),
        ConfigurationKey(
            name: "settings", help: "Settings by stack component, merged into the step's.",
            read: { $1.options.settings = try $0.jsonMembers() },
            current: { .unset(.object($0.options.settings)) }),
        ConfigurationKey(
            name: "model", help: "The model the step's outputs are linked to.",
            read: { $1.options.model = try $0.string() },
            current: { source in source.options.model.map { .value(.string($0)) } ?? .unset(.string(source.pipeline.options.model ?? "")) }),
        ConfigurationKey(
            name: "parameters", help: "Values for the step's parameter inputs, by input name.",
            read: { $1.parameters = try $0.jsonMembers() },
            current: { source in
                let parameters = source.pipeline.graph.node(source.invocation)?.parameters ?? [:]
                return .mapping(parameters.sorted { $0.key < $1.key }.compactMap { name, json in
                    (try? CanonicalJSON.decode(JSONValue.self, from: json)).map { (name, .unset($0)) }
                })
            }),
    ]

    /// The keys of a `cache_policy` mapping, with `CachePolicy`'s coding keys.
    static let cachePolicyKeys: KeyValuePairs<String, String> = [
        "include_step_code": "includeStepCode", "include_parameters": "includeParameters",
        "include_artifact_values": "includeArtifactValues", "include_artifact_ids": "includeArtifactIDs",
        "ignored_inputs": "ignoredInputs", "file_dependencies": "fileDependencies", "source_dependencies": "sourceDependencies",
        "expires_after": "expiresAfter",
    ]

    /// The keys of a `retry` mapping, with `RetryPolicy`'s coding keys.
    static let retryKeys: KeyValuePairs<String, String> = ["max_retries": "maxRetries", "delay": "delay", "backoff": "backoff"]

    /// A value as a JSON mapping with the file's keys, as a template writes it.
    static func snakeCased(_ value: some Encodable, keys: KeyValuePairs<String, String>) -> JSONValue {
        guard let data = try? CanonicalJSON.data(encoding: value),
            let members = (try? CanonicalJSON.makeDecoder().decode(JSONValue.self, from: data))?.objectValue
        else { return .null }
        return .object(Dictionary(uniqueKeysWithValues: keys.compactMap { file, coding in members[coding].map { (file, $0) } }))
    }
}
