/// What a run configuration changes for one step invocation: its options and its parameters.
///
/// A run records the overrides it applied (``RunConfiguration/steps``), so that a step run in another
/// process rebuilds the same graph.
public struct StepOverrides: Sendable, Codable, Equatable {
    /// Replaces the step's ``StepOptions/enableCache``; `nil` keeps it.
    public var enableCache: Bool?
    /// Other options laid over the step's (see ``StepOptions/overlaid(with:)``).
    public var options: StepOptions
    /// New values for the step's parameter inputs, by input name. Each replaces the value the
    /// pipeline's body passed, whatever the pipeline's parameters are.
    public var parameters: [String: JSONValue]

    /// Makes overrides; by default they change nothing.
    public init(enableCache: Bool? = nil, options: StepOptions = StepOptions(), parameters: [String: JSONValue] = [:]) {
        self.enableCache = enableCache
        self.options = options
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey { case enableCache, options, parameters }

    /// Decodes overrides, taking the default of each field a record lacks.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            enableCache: try container.decodeIfPresent(Bool.self, forKey: .enableCache),
            options: try container.decodeIfPresent(StepOptions.self, forKey: .options) ?? StepOptions(),
            parameters: try container.decodeIfPresent([String: JSONValue].self, forKey: .parameters) ?? [:])
    }

    /// Whether the overrides change nothing.
    public var isEmpty: Bool {
        enableCache == nil && options == StepOptions() && parameters.isEmpty
    }

    /// These overrides with `other` laid over them: `other`'s values win.
    public func merging(_ other: StepOverrides) -> StepOverrides {
        StepOverrides(
            enableCache: other.enableCache ?? enableCache, options: options.overlaid(with: other.options),
            parameters: parameters.merging(other.parameters) { $1 })
    }
}
