public import Foundation

/// Where a serializer writes an artifact's bytes.
///
/// Artifact stores hand serializers a writer that streams to its destination (hashing as it goes),
/// so that large artifacts are never copied in memory.
public protocol ByteWriter: AnyObject {
    /// Appends bytes.
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

/// Where a serializer reads an artifact's bytes from.
public protocol ByteReader: AnyObject {
    /// The number of bytes not yet read.
    var remainingCount: Int { get }
    /// Fills `buffer` completely with the next bytes, or throws if fewer remain.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws
}

// MARK: - API

extension ByteWriter {
    /// Appends the bytes of `data`.
    public func write(_ data: some DataProtocol) throws {
        for region in data.regions {
            try region.withUnsafeBytes { try write($0) }
        }
    }
}

extension ByteReader {
    /// Reads `count` bytes; asking for more than remain is ``CairnError/corruptArtifact(_:)``.
    public func readData(count: Int) throws -> Data {
        guard count >= 0, count <= remainingCount else {
            throw CairnError.corruptArtifact("expected \(count) more bytes, found \(remainingCount)")
        }
        var data = Data(count: count)
        try data.withUnsafeMutableBytes { try read(into: $0) }
        return data
    }

    /// Reads every remaining byte.
    public func readToEnd() throws -> Data {
        try readData(count: remainingCount)
    }
}

/// A ``ByteWriter`` that collects bytes in memory.
public final class DataWriter: ByteWriter {
    /// The bytes written so far.
    public private(set) var data = Data()

    /// Makes an empty writer.
    public init() {}

    /// Appends the bytes to ``data``.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        data.append(contentsOf: bytes)
    }
}

/// A ``ByteReader`` over bytes in memory.
public final class DataReader: ByteReader {
    private let data: Data
    private var offset: Int

    /// Makes a reader positioned at the start of `data`.
    public init(_ data: Data) {
        self.data = data
        self.offset = data.startIndex
    }

    /// The number of bytes not yet read.
    public var remainingCount: Int { data.endIndex - offset }

    /// Fills `buffer` with the next bytes, or throws ``CairnError/corruptArtifact(_:)`` if fewer remain.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws {
        guard buffer.count <= remainingCount else {
            throw CairnError.corruptArtifact("expected \(buffer.count) more bytes, found \(remainingCount)")
        }
        data.copyBytes(to: buffer, from: offset..<(offset + buffer.count))
        offset += buffer.count
    }
}
