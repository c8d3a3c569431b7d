/// What goes into a step's cache key, and how long a cached result stays valid.
///
/// By default everything that can change a step's result is in the key: its code, its parameters
/// and the content of its input artifacts. Set on a pipeline (for all its steps) or on a step.
///
/// ```swift
/// @Step(options: StepOptions(cachePolicy: CachePolicy(ignoredInputs: ["timestamp"], expiresAfter: .seconds(7 * 86_400))))
/// func fetch(url: String, timestamp: String) throws -> Data { … }
/// ```
public struct CachePolicy: Sendable, Codable, Equatable {
    /// Whether the step's code fingerprint is in the key.
    public var includeStepCode: Bool
    /// Whether the step's parameters are in the key.
    public var includeParameters: Bool
    /// Whether the content digests of input artifacts are in the key.
    public var includeArtifactValues: Bool
    /// Whether the identifiers of input artifact versions are in the key (a new version with the
    /// same content then misses the cache).
    public var includeArtifactIDs: Bool
    /// Inputs left out of the key, by name.
    public var ignoredInputs: [String]
    /// Files whose contents are in the key, by path.
    public var fileDependencies: [String]
    /// Fingerprints of code the step depends on, such as `helperFingerprint` from `@Fingerprinted`
    /// or `otherStep.definition.fingerprint`.
    public var sourceDependencies: [String]
    /// How long a cached result may be reused, from the end of the step run that made it; `nil`
    /// for ever. Recorded, and written in configuration files, as a number of seconds.
    public var expiresAfter: Duration?
    /// A function whose result is in the key, for anything else the result depends on.
    public var cacheFunction: (@Sendable () throws -> String)?

    /// Makes a policy; the defaults put code, parameters and input content in the key.
    public init(
        includeStepCode: Bool = true, includeParameters: Bool = true, includeArtifactValues: Bool = true,
        includeArtifactIDs: Bool = false, ignoredInputs: [String] = [], fileDependencies: [String] = [],
        sourceDependencies: [String] = [], expiresAfter: Duration? = nil, cacheFunction: (@Sendable () throws -> String)? = nil
    ) {
        self.includeStepCode = includeStepCode
        self.includeParameters = includeParameters
        self.includeArtifactValues = includeArtifactValues
        self.includeArtifactIDs = includeArtifactIDs
        self.ignoredInputs = ignoredInputs
        self.fileDependencies = fileDependencies
        self.sourceDependencies = sourceDependencies
        self.expiresAfter = expiresAfter
        self.cacheFunction = cacheFunction
    }

    /// The default policy.
    public static let `default` = CachePolicy()

    // The cache function is code, not data: it is neither recorded nor compared.
    enum CodingKeys: String, CodingKey {
        case includeStepCode, includeParameters, includeArtifactValues, includeArtifactIDs, ignoredInputs, fileDependencies
        case sourceDependencies, expiresAfter
    }

    /// Whether the policies agree; cache functions count as equal when both are set or both are not.
    public static func == (lhs: CachePolicy, rhs: CachePolicy) -> Bool {
        lhs.includeStepCode == rhs.includeStepCode && lhs.includeParameters == rhs.includeParameters
            && lhs.includeArtifactValues == rhs.includeArtifactValues && lhs.includeArtifactIDs == rhs.includeArtifactIDs
            && lhs.ignoredInputs == rhs.ignoredInputs && lhs.fileDependencies == rhs.fileDependencies
            && lhs.sourceDependencies == rhs.sourceDependencies && lhs.expiresAfter == rhs.expiresAfter
            && (lhs.cacheFunction == nil) == (rhs.cacheFunction == nil)
    }
}
