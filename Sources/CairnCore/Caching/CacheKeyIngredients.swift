/// Everything a step run's cache key is made of, as recorded with the step run.
///
/// The key is the SHA-256 digest of these ingredients' canonical JSON, so the same ingredients give
/// the same key on any machine, whatever the order of dictionaries. Recording them lets Cairn explain
/// why a step ran: which ingredient changed since the last run.
public struct CacheKeyIngredients: Codable, Sendable, Equatable {
    /// The step's name.
    public var step: String
    /// The step's code fingerprint, unless the policy leaves code out.
    public var codeFingerprint: String?
    /// Parameters by input name (canonical JSON), unless the policy leaves them out.
    public var parameters: [String: String]
    /// Input artifacts by input name: content digests and/or version identifiers, in fan-in order.
    public var inputs: [String: [String]]
    /// Output names with their serializer and its version (`cairn.json@1`).
    public var outputs: [String: String]
    /// Environment variables the step sees.
    public var environment: [String: String]
    /// The names (never the values) of the secrets the step uses.
    public var secretNames: [String]
    /// SHA-256 digests of the file dependencies' contents, by path.
    public var files: [String: String]
    /// Fingerprints of the source dependencies.
    public var sources: [String]
    /// The cache function's result.
    public var cacheFunctionValue: String?

    /// Makes ingredients.
    public init(
        step: String, codeFingerprint: String?, parameters: [String: String], inputs: [String: [String]],
        outputs: [String: String], environment: [String: String], secretNames: [String], files: [String: String],
        sources: [String], cacheFunctionValue: String?
    ) {
        self.step = step
        self.codeFingerprint = codeFingerprint
        self.parameters = parameters
        self.inputs = inputs
        self.outputs = outputs
        self.environment = environment
        self.secretNames = secretNames
        self.files = files
        self.sources = sources
        self.cacheFunctionValue = cacheFunctionValue
    }

    /// The canonical JSON of the ingredients: the text ``CanonicalJSON/string(encoding:)-(Encodable)`` gives.
    ///
    /// Written with `CanonicalJSONWriter` rather than encoded, because every step computes it; the
    /// members are written in the order of their keys, and optional ones only when present, as the
    /// synthesized `Encodable` conformance has the encoder write them.
    public var canonicalJSON: String {
        CanonicalJSONWriter.text { json in
            json.beginObject()
            if let cacheFunctionValue {
                json.key("cacheFunctionValue")
                json.string(cacheFunctionValue)
            }
            if let codeFingerprint {
                json.key("codeFingerprint")
                json.string(codeFingerprint)
            }
            json.key("environment")
            json.object(environment) { $0.string($1) }
            json.key("files")
            json.object(files) { $0.string($1) }
            json.key("inputs")
            json.object(inputs) { $0.array($1) }
            json.key("outputs")
            json.object(outputs) { $0.string($1) }
            json.key("parameters")
            json.object(parameters) { $0.string($1) }
            json.key("secretNames")
            json.array(secretNames)
            json.key("sources")
            json.array(sources)
            json.key("step")
            json.string(step)
            json.endObject()
        }
    }

    /// The cache key: the SHA-256 digest of the canonical JSON.
    public var key: String {
        Self.key(ofCanonicalJSON: canonicalJSON)
    }

    /// The cache key of ingredients whose canonical JSON is `json`, for callers that need both.
    public static func key(ofCanonicalJSON json: String) -> String {
        CanonicalJSON.digest(ofText: json)
    }

    /// The names of the ingredients that differ from `other`'s (`parameters.rate`, `code`, `inputs.data`).
    public func differences(from other: CacheKeyIngredients) -> [String] {
        var changed: [String] = []
        if step != other.step { changed.append("step") }
        if codeFingerprint != other.codeFingerprint { changed.append("code") }
        changed += Self.changedKeys(parameters, other.parameters, prefix: "parameters")
        changed += Self.changedKeys(inputs, other.inputs, prefix: "inputs")
        changed += Self.changedKeys(outputs, other.outputs, prefix: "outputs")
        changed += Self.changedKeys(environment, other.environment, prefix: "environment")
        if secretNames != other.secretNames { changed.append("secrets") }
        changed += Self.changedKeys(files, other.files, prefix: "files")
        if sources != other.sources { changed.append("source dependencies") }
        if cacheFunctionValue != other.cacheFunctionValue { changed.append("cache function") }
        return changed
    }

    private static func changedKeys<V: Equatable>(_ a: [String: V], _ b: [String: V], prefix: String) -> [String] {
        Set(a.keys).union(b.keys).sorted().filter { a[$0] != b[$0] }.map { "\(prefix).\($0)" }
    }
}
