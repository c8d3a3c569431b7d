/// What a run configuration changes for one step invocation: its options and its parameters.
///
/// A run records the overrides it applied (``RunConfiguration/steps``), so that a step run in another
/// process rebuilds the same graph.
public struct StepOverrides: Sendable, Codable, Equatable {
    /// Replaces the step's ``StepOptions/enableCache``; `nil` keeps it.
    public var enableCache: Bool?
    /// New values for the step's parameter inputs, by input name. Each replaces the value the
    /// pipeline's body passed, whatever the pipeline's parameters are.
    public var parameters: [String: JSONValue]

    /// Makes overrides; by default they change nothing.
    public init(enableCache: Bool? = nil, parameters: [String: JSONValue] = [:]) {
        self.enableCache = enableCache
        self.parameters = parameters
    }

    /// Whether the overrides change nothing.
    public var isEmpty: Bool {
        enableCache == nil && parameters.isEmpty
    }

    /// These overrides with `other` laid over them: `other`'s values win.
    public func merging(_ other: StepOverrides) -> StepOverrides {
        StepOverrides(enableCache: other.enableCache ?? enableCache, parameters: parameters.merging(other.parameters) { $1 })
    }
}
