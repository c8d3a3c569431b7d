import Crypto
public import Foundation

/// JSON with a single spelling per value: sorted keys, no insignificant whitespace.
///
/// Parameters, configurations and graphs are stored and compared (and later hashed into cache
/// keys) as canonical JSON, so the same value always gives the same text on any machine.
public enum CanonicalJSON {
    /// Makes a new encoder with the canonical settings.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// Makes a new decoder that reads what ``makeEncoder()`` writes.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Encodes a value as canonical JSON data.
    public static func data(encoding value: some Encodable) throws -> Data {
        try makeEncoder().encode(value)
    }

    /// Encodes a value as canonical JSON text.
    ///
    /// - Throws: ``CairnError/notEncodable(type:reason:)``, naming the value's type, when its
    ///   `Encodable` implementation throws: the value is a user's (a parameter, a constant), and a
    ///   run that cannot record it must fail with that message, not stop the program.
    public static func string(encoding value: some Encodable) throws -> String {
        do {
            return String(decoding: try data(encoding: value), as: UTF8.self)
        } catch {
            throw CairnError.notEncodable(type: String(reflecting: type(of: value)), reason: "\(error)")
        }
    }

    /// Encodes a JSON value as canonical JSON text; unlike other values, it cannot fail.
    public static func string(encoding value: JSONValue) -> String {
        do {
            return String(decoding: try data(encoding: value), as: UTF8.self)
        } catch {
            // Every case holds a null, a Boolean, a number (non-finite ones are written as strings),
            // a string or a container of these, all of which the encoder always writes.
            preconditionFailure("a JSON value could not be encoded: \(error)")
        }
    }

    /// Encodes strings by name as canonical JSON text: the same text as the generic
    /// ``string(encoding:)`` gives, written by `CanonicalJSONWriter` rather than encoded, because
    /// every step run's parameters are stored this way.
    public static func string(encoding members: [String: String]) -> String {
        CanonicalJSONWriter.text { json in json.object(members) { $0.string($1) } }
    }

    /// The SHA-256 digest, in hexadecimal, of a value's canonical JSON: equal values have equal digests.
    public static func digest(of value: some Encodable) throws -> String {
        digest(ofText: try string(encoding: value))
    }

    /// The SHA-256 digest, in hexadecimal, of canonical JSON text, hashed in place: a fan-in's cache
    /// key ingredients may be megabytes long.
    public static func digest(ofText json: String) -> String {
        var json = json
        return json.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)).hexString }
    }

    /// Decodes a value from canonical JSON text.
    public static func decode<T: Decodable>(_ type: T.Type, from json: String) throws -> T {
        try makeDecoder().decode(type, from: Data(json.utf8))
    }

    /// Joins constant bindings into the JSON text of one array.
    static func arrayString(ofEncoded bindings: [InputBinding]) -> String {
        let elements = bindings.map { binding -> String in
            switch binding {
            case .constant(let json): json
            case .list(let inner): arrayString(ofEncoded: inner)
            case .output: preconditionFailure("an artifact binding is not a constant")
            }
        }
        return "[" + elements.joined(separator: ",") + "]"
    }
}
