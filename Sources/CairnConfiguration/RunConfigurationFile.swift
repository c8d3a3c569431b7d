public import CairnCore
import Foundation

/// A YAML run configuration: the run name, options, parameters and per-step options and
/// parameters of a pipeline's run, read from a file.
///
/// ```yaml
/// run_name: "nightly-{date}"
/// enable_cache: false
/// execution_mode: stop_on_failure     # fail_fast | stop_on_failure | continue_on_failure
/// max_concurrency: 4
/// parameters:
///   learningRate: 0.05
/// steps:
///   train:                            # an invocation name
///     enable_cache: false
///     parameters: { epochs: 10 }      # replaces that step's input values
/// ```
///
/// ```swift
/// let configuration = try RunConfigurationFile(contentsOf: "nightly.yaml")
/// try await training.run(configuration: configuration)
/// ```
///
/// An unknown key, a value of the wrong type, an unknown step or parameter, or malformed YAML is
/// `CairnError.invalidConfiguration(key:reason:location:)`, whose description starts with the
/// file, line and column: `nightly.yaml:4:3: unknown key 'enable_cahce' in steps.train; …`. Keys are
/// checked when the file is read; parameters and steps when it is applied to a pipeline
/// (``compile(_:parameterOverrides:)``), before anything runs.
///
/// Precedence, from weakest to strongest: what the code declares, then this file, then what is given
/// explicitly for the run (`--param` and `--no-cache` on the command line, or parameters passed to
/// `run` in code).
public struct RunConfigurationFile: Sendable {
    /// The file's path, as given; errors name it.
    public let path: String
    /// What the file changes.
    public let overrides: RunOverrides
    /// Where each key is, by dotted path, to place errors found when the file is applied.
    private let keyLocations: [String: SourceLocation]

    /// Reads and checks the file at `path`: a file, a pipe or `/dev/stdin`, of at most
    /// ``maximumFileSize`` bytes of UTF-8 text.
    public init(contentsOf path: String) throws {
        try self.init(yaml: try Self.readText(at: path), path: path)
    }

    /// Reads and checks configuration text; `path` is the name errors give it.
    public init(yaml: String, path: String) throws {
        let root = try ConfigurationNode.root(of: yaml, file: path)
        var overrides = RunOverrides()
        try root.read(into: &overrides, keys: ConfigurationKeys.run)
        self.path = path
        self.overrides = overrides
        self.keyLocations = root.keyLocations()
    }

    /// Compiles `pipeline` with this configuration, after checking the file's parameters and steps
    /// against it; `explicit` parameter values win over the file's.
    public func compile(_ pipeline: any PipelineDefinition, parameterOverrides explicit: [String: JSONValue] = [:]) throws -> CompiledPipeline {
        try locatingErrors { try pipeline.validate(parameters: overrides.parameters) }
        var merged = overrides
        merged.parameters.merge(explicit) { _, explicit in explicit }
        return try locatingErrors { try pipeline.compile(overrides: merged) }
    }

    /// Adds the file location to configuration errors that name a key of this file.
    private func locatingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch CairnError.invalidConfiguration(let key, let reason, nil) {
            throw CairnError.invalidConfiguration(key: key, reason: reason, location: keyLocations[key])
        }
    }
}
