import Foundation

/// Stores `Codable` values as canonical JSON (`cairn.json`).
///
/// This is the serializer for every `Codable` type that has no more specific one, numbers and
/// `Bool` included, so artifacts stay readable from any language.
public struct JSONArtifactSerializer<Value: Codable>: ArtifactSerializer {
    /// Makes the serializer.
    public init() {}

    /// `cairn.json`.
    public var identifier: String { "cairn.json" }
    /// `json`.
    public var fileExtension: String { "json" }

    /// Writes the value's canonical JSON.
    public func write(_ value: Value, to writer: any ByteWriter) throws {
        try writer.write(try CanonicalJSON.data(encoding: value))
    }

    /// The element count of a collection, and a short preview.
    public func metadata(for value: Value) -> [String: JSONValue] {
        var metadata: [String: JSONValue] = [:]
        if let collection = value as? any Collection { metadata["count"] = .number(Double(collection.count)) }
        let text = (try? String(decoding: CanonicalJSON.data(encoding: value), as: UTF8.self)) ?? ""
        metadata["preview"] = .string(text.count > 100 ? String(text.prefix(100)) + "…" : text)
        return metadata
    }

    /// Decodes the value from its JSON.
    public func read(from reader: any ByteReader) throws -> Value {
        try CanonicalJSON.makeDecoder().decode(Value.self, from: try reader.readToEnd())
    }
}
