import Foundation

/// A `--param key=value` command-line argument, read against the parameter's default value.
public struct ParameterArgument: Sendable, Equatable {
    /// The parameter's name.
    public let key: String
    /// The text after the first `=`.
    public let text: String

    /// Splits `key=value`; a missing `=` or an empty key is an error that shows the argument.
    public init(parsing argument: String) throws {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
            throw CairnError.invalidParameter(argument: argument, reason: "expected key=value, for example --param learning_rate=0.1")
        }
        key = String(argument[..<equals])
        text = String(argument[argument.index(after: equals)...])
    }

    /// The value as JSON, read so that it fits the parameter's default.
    ///
    /// For a string parameter the text is taken as it is; otherwise it is read as JSON
    /// (`0.1`, `true`, `[1, 2]`, `{"a": 1}`) and must have the default's JSON type.
    public func value(fitting defaultValue: JSONValue?) throws -> JSONValue {
        if case .string = defaultValue { return .string(text) }
        guard let parsed = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
            if defaultValue == nil || defaultValue == .null { return .string(text) }
            throw mismatch(expected: defaultValue!)
        }
        if let defaultValue, defaultValue != .null, parsed.typeName != defaultValue.typeName {
            throw mismatch(expected: defaultValue)
        }
        return parsed
    }

    private func mismatch(expected: JSONValue) -> CairnError {
        .invalidParameter(argument: "\(key)=\(text)", reason: "'\(key)' takes \(expected.typeName), like its default \(CanonicalJSON.string(encoding: expected))")
    }
}
