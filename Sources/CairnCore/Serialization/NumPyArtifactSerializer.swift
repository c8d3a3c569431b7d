import Foundation

/// An element type that NumPy's `.npy` format stores natively.
public protocol NumPyElement: BitwiseCopyable, Sendable {
    /// NumPy's little-endian type code for the element (`<f8` for `Double`).
    static var numPyDescriptor: String { get }
}

extension Float: NumPyElement { public static var numPyDescriptor: String { "<f4" } }
extension Double: NumPyElement { public static var numPyDescriptor: String { "<f8" } }
extension Int: NumPyElement { public static var numPyDescriptor: String { "<i\(MemoryLayout<Int>.size)" } }
extension Int32: NumPyElement { public static var numPyDescriptor: String { "<i4" } }
extension Int64: NumPyElement { public static var numPyDescriptor: String { "<i8" } }
extension UInt8: NumPyElement { public static var numPyDescriptor: String { "|u1" } }

/// Stores a one-dimensional numeric array in NumPy's `.npy` format (`cairn.npy`).
///
/// Python reads the artifact with `numpy.load(path)`. The elements are written straight from the
/// array's storage and read straight into a new array, so a large array is never copied twice.
public struct NumPyArtifactSerializer<Element: NumPyElement>: ArtifactSerializer {
    /// Makes the serializer.
    public init() {}

    /// `cairn.npy`.
    public var identifier: String { "cairn.npy" }
    /// `npy`.
    public var fileExtension: String { "npy" }

    private static var magic: [UInt8] { [0x93] + Array("NUMPY".utf8) }

    /// Writes the `.npy` header, then the elements as they are in memory.
    public func write(_ value: [Element], to writer: any ByteWriter) throws {
        // Version 1.0 header: magic, version, little-endian UInt16 length, then a Python dict literal
        // padded with spaces so that the data starts on a 64-byte boundary.
        var header = "{'descr': '\(Element.numPyDescriptor)', 'fortran_order': False, 'shape': (\(value.count),), }"
        let unpadded = Self.magic.count + 2 + 2 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = UInt16(header.utf8.count)
        try writer.write(Self.magic + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8))
        try value.withUnsafeBytes { try writer.write($0) }
    }

    /// The element count, shape, NumPy type and the first five values.
    public func metadata(for value: [Element]) -> [String: JSONValue] {
        [
            "count": .number(Double(value.count)),
            "shape": .array([.number(Double(value.count))]),
            "dtype": .string(Element.numPyDescriptor),
            "preview": .string("[" + value.prefix(5).map { "\($0)" }.joined(separator: ", ") + (value.count > 5 ? ", …]" : "]")),
        ]
    }

    /// Reads a one-dimensional `.npy` array of this element type.
    public func read(from reader: any ByteReader) throws -> [Element] {
        let preamble = [UInt8](try reader.readData(count: 8))
        guard Array(preamble.prefix(6)) == Self.magic else {
            throw CairnError.corruptArtifact("not a .npy file: the magic bytes are missing")
        }
        let headerLength: Int
        switch preamble[6] {
        case 1:
            let bytes = [UInt8](try reader.readData(count: 2))
            headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
        case 2, 3:
            let bytes = [UInt8](try reader.readData(count: 4))
            headerLength = bytes.enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        default:
            throw CairnError.corruptArtifact(".npy version \(preamble[6]) is not supported")
        }
        let header = String(decoding: try reader.readData(count: headerLength), as: UTF8.self)
        guard header.contains("'descr': '\(Element.numPyDescriptor)'") else {
            throw CairnError.corruptArtifact(".npy header \(header.trimmingCharacters(in: .whitespacesAndNewlines)) does not describe \(Element.numPyDescriptor) elements")
        }
        guard header.contains("'fortran_order': False") else {
            throw CairnError.corruptArtifact(".npy arrays in Fortran order are not supported")
        }
        let count = try Self.elementCount(inHeader: header)
        let (byteCount, overflows) = count.multipliedReportingOverflow(by: MemoryLayout<Element>.stride)
        guard !overflows, reader.remainingCount == byteCount else {
            throw CairnError.corruptArtifact(".npy header says \(count) elements, but \(reader.remainingCount) bytes follow")
        }
        return try [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            try reader.read(into: UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// Reads the length of a one-dimensional shape, `(N,)`, from the header.
    private static func elementCount(inHeader header: String) throws -> Int {
        guard let shapeStart = header.range(of: "'shape': (")?.upperBound,
            let shapeEnd = header[shapeStart...].firstIndex(of: ")")
        else { throw CairnError.corruptArtifact(".npy header has no shape") }
        let dimensions = header[shapeStart..<shapeEnd].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard dimensions.count == 1, let count = Int(dimensions[0]), count >= 0 else {
            throw CairnError.corruptArtifact(".npy shape (\(header[shapeStart..<shapeEnd])) is not one-dimensional")
        }
        return count
    }
}
