/// Turns values of one type into an artifact's bytes and back.
///
/// Cairn picks a serializer for every step output from its type (see ``SerializerRegistry``).
/// A user type chooses its own by conforming to ``ArtifactSerializable``.
///
/// ```swift
/// struct PlainTextSerializer: ArtifactSerializer {
///     var identifier: String { "example.text" }
///     func write(_ value: Note, to writer: any ByteWriter) throws { try writer.write(Data(value.text.utf8)) }
///     func read(from reader: any ByteReader) throws -> Note { Note(text: String(decoding: try reader.readToEnd(), as: UTF8.self)) }
/// }
/// ```
public protocol ArtifactSerializer<Value>: Sendable {
    /// The type this serializer stores.
    associatedtype Value

    /// A stable, unique name for the format, recorded with every artifact version (`cairn.json`).
    var identifier: String { get }

    /// The format's version. Change it when the bytes written for the same value change.
    var version: Int { get }

    /// The file extension that suits the bytes (`json`, `npy`), used when artifacts are exported.
    var fileExtension: String { get }

    /// Writes `value`.
    func write(_ value: Value, to writer: any ByteWriter) throws

    /// Reads a value back from what ``write(_:to:)`` wrote.
    func read(from reader: any ByteReader) throws -> Value

    /// Metadata describing a value, recorded with its artifact version: a count, a shape, a preview.
    func metadata(for value: Value) -> [String: JSONValue]

    /// Renderings of a value for people, stored beside its artifact version.
    func visualizations(for value: Value) -> [Visualization]
}

// MARK: - Default implementations

extension ArtifactSerializer {
    /// Version 1.
    public var version: Int { 1 }
    /// `bin`.
    public var fileExtension: String { "bin" }
    /// No metadata.
    public func metadata(for value: Value) -> [String: JSONValue] { [:] }
    /// No visualizations.
    public func visualizations(for value: Value) -> [Visualization] { [] }
}

/// A type that chooses the serializer Cairn stores it with.
public protocol ArtifactSerializable: Sendable {
    /// The serializer's type.
    associatedtype Serializer: ArtifactSerializer where Serializer.Value == Self
    /// The serializer that stores values of this type.
    static var artifactSerializer: Serializer { get }
}
