/// Options of a step, fixed where the step is declared.
///
/// A pipeline's options are defaults for its steps; a step's own options win.
public struct StepOptions: Sendable, Codable, Equatable {
    /// Whether the step may reuse a previous run's outputs; `nil` follows the pipeline.
    public var enableCache: Bool?
    /// Artifact names for outputs, by output name, replacing the default `{pipeline}::{step}::{output}`.
    public var artifactNames: [String: String]

    /// Makes options; every option defaults to following the pipeline.
    public init(enableCache: Bool? = nil, artifactNames: [String: String] = [:]) {
        self.enableCache = enableCache
        self.artifactNames = artifactNames
    }
}
