import CairnCore
import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a new file while computing the SHA-256 digest of what it writes.
///
/// Small writes are gathered in a buffer; large ones go straight to the file.
final class HashingFileWriter: ByteWriter {
    private let path: String
    private var descriptor: Int32
    private var hasher = SHA256()
    private var buffer: [UInt8] = []
    private static let bufferSize = 1 << 16
    /// Writes of at least this many bytes are hashed on another thread while they are written.
    private static let parallelSize = 1 << 22
    private(set) var size: Int64 = 0
    private(set) var digest = ""

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CairnError.store("could not create \(path): \(String(cString: strerror(errno)))")
        }
        buffer.reserveCapacity(Self.bufferSize)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        size += Int64(bytes.count)
        if buffer.count + bytes.count > Self.bufferSize { try flush() }
        if bytes.count >= Self.parallelSize {
            // Hashing takes about as long as writing, and neither needs the other's result.
            try SideBySide.run({ hasher.update(bufferPointer: bytes) }, { try writeAll(bytes) })
            return
        }
        hasher.update(bufferPointer: bytes)
        if bytes.count >= Self.bufferSize {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Writes what is buffered and closes the file; the caller flushes it to disk.
    func finish() throws {
        try flush()
        guard close(descriptor) == 0 else { throw failure("close") }
        descriptor = -1
        digest = hasher.finalize().hexString
    }

    /// Closes the file without finishing it; the caller removes it.
    func abandon() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("write")
            }
            offset += written
        }
    }

    private func failure(_ operation: String) -> CairnError {
        .store("could not \(operation) \(path): \(String(cString: strerror(errno)))")
    }
}
