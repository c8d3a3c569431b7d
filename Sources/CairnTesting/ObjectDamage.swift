public import Foundation

/// Ways an artifact's bytes on disk go bad, to test that a store notices: a file removed, cut short,
/// or changed in place at the same size.
///
/// ```swift
/// try ObjectDamage.flipped.apply(to: URL(filePath: stack.artifacts.location(of: version.digest)))
/// ```
public enum ObjectDamage: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The file is deleted.
    case deleted
    /// The file loses its last byte.
    case truncated
    /// The file's first byte is inverted: same size, other bytes.
    case flipped

    /// Damages the file at `file`.
    public func apply(to file: URL) throws {
        switch self {
        case .deleted:
            try FileManager.default.removeItem(at: file)
        case .truncated:
            let handle = try FileHandle(forWritingTo: file)
            defer { try? handle.close() }
            try handle.truncate(atOffset: max(0, try handle.seekToEnd() - 1))
        case .flipped:
            var bytes = try Data(contentsOf: file)
            bytes[bytes.startIndex] ^= 0xFF
            try bytes.write(to: file)
        }
    }

    /// The case's name, as test arguments show it.
    public var description: String { rawValue }
}
