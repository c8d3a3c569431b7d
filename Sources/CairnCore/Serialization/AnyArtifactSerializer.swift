/// A serializer with its value type erased, as the runtime uses it.
public struct AnyArtifactSerializer: Sendable {
    /// The format's stable name.
    public let identifier: String
    /// The format's version.
    public let version: Int
    /// The file extension that suits the bytes.
    public let fileExtension: String
    private let writeValue: @Sendable (Any, any ByteWriter) throws -> Void
    private let readValue: @Sendable (any ByteReader) throws -> Any
    private let describeValue: @Sendable (Any) -> (metadata: [String: JSONValue], visualizations: [Visualization])

    /// Erases a typed serializer.
    public init<S: ArtifactSerializer>(_ serializer: S) {
        self.init(
            identifier: serializer.identifier, version: serializer.version, fileExtension: serializer.fileExtension,
            write: { value, writer in
                guard let typed = value as? S.Value else {
                    throw CairnError.typeMismatch(expected: String(reflecting: S.Value.self), found: String(reflecting: type(of: value)))
                }
                try serializer.write(typed, to: writer)
            },
            read: { try serializer.read(from: $0) },
            describe: { value in
                guard let typed = value as? S.Value else { return ([:], []) }
                return (serializer.metadata(for: typed), serializer.visualizations(for: typed))
            })
    }

    /// Makes a serializer from its parts.
    public init(
        identifier: String, version: Int, fileExtension: String,
        write: @escaping @Sendable (Any, any ByteWriter) throws -> Void,
        read: @escaping @Sendable (any ByteReader) throws -> Any,
        describe: @escaping @Sendable (Any) -> (metadata: [String: JSONValue], visualizations: [Visualization]) = { _ in ([:], []) }
    ) {
        self.identifier = identifier
        self.version = version
        self.fileExtension = fileExtension
        self.writeValue = write
        self.readValue = read
        self.describeValue = describe
    }

    /// Writes a value, which must be of the serializer's type.
    public func write(_ value: Any, to writer: any ByteWriter) throws {
        try writeValue(value, writer)
    }

    /// The serializer's metadata and visualizations for a value.
    public func describe(_ value: Any) -> (metadata: [String: JSONValue], visualizations: [Visualization]) {
        describeValue(value)
    }

    /// Reads a value back.
    public func read(from reader: any ByteReader) throws -> Any {
        try readValue(reader)
    }
}
