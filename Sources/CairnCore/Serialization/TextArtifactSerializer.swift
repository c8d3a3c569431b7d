public import Foundation

/// Stores a `String` as UTF-8 text (`cairn.text`).
public struct TextArtifactSerializer: ArtifactSerializer {
    /// Makes the serializer.
    public init() {}

    /// `cairn.text`.
    public var identifier: String { "cairn.text" }
    /// `txt`.
    public var fileExtension: String { "txt" }

    /// Writes the text as UTF-8.
    public func write(_ value: String, to writer: any ByteWriter) throws {
        try writer.write(Data(value.utf8))
    }

    /// The length in characters and the first 100 of them.
    public func metadata(for value: String) -> [String: JSONValue] {
        ["length": .number(Double(value.count)), "preview": .string(value.count > 100 ? String(value.prefix(100)) + "…" : value)]
    }

    /// Reads UTF-8 text.
    public func read(from reader: any ByteReader) throws -> String {
        String(decoding: try reader.readToEnd(), as: UTF8.self)
    }
}

/// Stores `Data` as it is (`cairn.bytes`).
public struct BytesArtifactSerializer: ArtifactSerializer {
    /// Makes the serializer.
    public init() {}

    /// `cairn.bytes`.
    public var identifier: String { "cairn.bytes" }

    /// Writes the bytes as they are.
    public func write(_ value: Data, to writer: any ByteWriter) throws {
        try writer.write(value)
    }

    /// Reads every byte.
    public func read(from reader: any ByteReader) throws -> Data {
        try reader.readToEnd()
    }
}
