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
            name: "max_concurrency", help: "How many steps may run at once; unset, as many as there are processor cores.",
            read: { $1.maxConcurrency = try $0.integer(atLeast: 1) },
            current: { pipeline in
                pipeline.options.maxConcurrency.map { .value(.number(Double($0))) }
                    ?? .unset(.number(Double(ProcessInfo.processInfo.activeProcessorCount)))
            }),
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
            name: "parameters", help: "Values for the step's parameter inputs, by input name.",
            read: { $1.parameters = try $0.jsonMembers() },
            current: { source in
                let parameters = source.pipeline.graph.node(source.invocation)?.parameters ?? [:]
                return .mapping(parameters.sorted { $0.key < $1.key }.compactMap { name, json in
                    (try? CanonicalJSON.decode(JSONValue.self, from: json)).map { (name, .unset($0)) }
                })
            }),
    ]
}
