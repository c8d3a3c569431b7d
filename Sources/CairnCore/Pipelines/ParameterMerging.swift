/// Lays parameter values given at run time over a pipeline's defaults.
package enum ParameterMerging {
    /// Replaces members of `defaults` by `overrides`, refusing names the pipeline does not have.
    static func merge(_ overrides: [String: JSONValue], into defaults: JSONValue, pipeline: String) throws -> JSONValue {
        guard var members = defaults.objectValue else {
            throw CairnError.invalidPipeline(pipeline: pipeline, reason: "its parameters do not encode as a JSON object")
        }
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            guard members[key] != nil else {
                let known = members.keys.sorted()
                throw CairnError.invalidPipeline(
                    pipeline: pipeline,
                    reason: "it has no parameter '\(key)'" + (known.isEmpty ? "; it takes no parameters" : "; its parameters are \(known.joined(separator: ", "))"))
            }
            members[key] = value
        }
        return .object(members)
    }

    /// `defaults` with `overrides` laid over them, decoded as the pipeline's parameter type.
    static func decode<Parameters: Decodable>(
        _ type: Parameters.Type, overriding overrides: [String: JSONValue], defaults: JSONValue, pipeline: String
    ) throws -> Parameters {
        let merged = try merge(overrides, into: defaults, pipeline: pipeline)
        do {
            return try CanonicalJSON.decode(Parameters.self, from: CanonicalJSON.string(encoding: merged))
        } catch {
            let reason = misfit(error, as: Parameters.self, overrides: overrides, defaults: defaults, pipeline: pipeline)
            throw CairnError.invalidPipeline(pipeline: pipeline, reason: "the parameters do not fit \(Parameters.self): \(reason)")
        }
    }

    /// Why overridden parameters do not decode. Foundation's decoder reports a number that an integer
    /// cannot hold (2.5, 1e30) as "not valid JSON" without saying where; then the override at fault is
    /// found by decoding each one alone.
    private static func misfit<Parameters: Decodable>(
        _ error: any Error, as type: Parameters.Type, overrides: [String: JSONValue], defaults: JSONValue, pipeline: String
    ) -> String {
        if case DecodingError.dataCorrupted(let context) = error, context.codingPath.isEmpty {
            for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
                guard let alone = try? merge([key: value], into: defaults, pipeline: pipeline) else { continue }
                if (try? CanonicalJSON.decode(Parameters.self, from: CanonicalJSON.string(encoding: alone))) == nil {
                    let shown = defaults.objectValue?[key].map { ", like its default \(CanonicalJSON.string(encoding: $0))" } ?? ""
                    return "'\(key)' cannot hold \(CanonicalJSON.string(encoding: value))\(shown)"
                }
            }
        }
        return describe(error)
    }

    /// A value encoded as canonical JSON and read back as a ``JSONValue``.
    static func jsonValue(of value: some Encodable) throws -> JSONValue {
        try CanonicalJSON.decode(JSONValue.self, from: CanonicalJSON.string(encoding: value))
    }

    /// A short description of a decoding error: which key, and what was wrong.
    package static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context): return "'\(path(context))' must be \(type)"
        case .valueNotFound(let type, let context): return "'\(path(context))' must be \(type), found null"
        case .keyNotFound(let key, _): return "'\(key.stringValue)' is missing"
        case .dataCorrupted(let context): return "'\(path(context))': \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
