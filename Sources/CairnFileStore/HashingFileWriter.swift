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
/// Small writes are gathered in a buffer; large ones go straight to the file. The file is made only
/// when the buffer overflows: bytes that fit in it stay in memory until ``persist()``, so that a
/// small staged artifact is handed on without touching the disk.
///
/// `@unchecked Sendable` because one task at a time uses it: the one that stages the bytes writes
/// them and finishes, and then only the commit or the discard of those bytes persists or abandons
/// it, once.
final class HashingFileWriter: ByteWriter, @unchecked Sendable {
    private let path: String
    private var descriptor: Int32 = -1
    private var hasher = SHA256()
    private var buffer: [UInt8] = []
    private static let bufferSize = 1 << 16
    /// Writes of at least this many bytes are hashed on another thread while they are written.
    private static let parallelSize = 1 << 22
    private(set) var size: Int64 = 0
    private(set) var digest = ""

    init(path: String) {
        self.path = path
        buffer.reserveCapacity(Self.bufferSize)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        size += Int64(bytes.count)
        if buffer.count + bytes.count > Self.bufferSize { try flush() }
        if bytes.count >= Self.parallelSize {
            try create()
            // Hashing takes about as long as writing, and neither needs the other's result.
            let offset = size - Int64(bytes.count)
            try SideBySide.run({ hasher.update(bufferPointer: bytes) }, {
                try writeAll(bytes)
                startFlushing(bytes.count, at: offset)
            })
            return
        }
        hasher.update(bufferPointer: bytes)
        if bytes.count >= Self.bufferSize {
            try create()
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Ends the writing and returns all the bytes when they fit in memory and no file was made;
    /// otherwise the file holds them all, not yet flushed to disk.
    func finish() throws -> Data? {
        digest = hasher.finalize().hexString
        guard descriptor >= 0 else { return Data(buffer) }
        try flush()
        return nil
    }

    /// Writes the bytes kept in memory to the file, making it, flushes the file to disk and closes it.
    func persist() throws {
        try flush(always: true)
        guard fsync(descriptor) == 0 else { throw failure("flush") }
        guard close(descriptor) == 0 else { throw failure("close") }
        descriptor = -1
    }

    /// Closes the file, if one was made, without finishing it; the caller removes it.
    func abandon() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }

    /// Makes the file, unless it is made.
    private func create() throws {
        guard descriptor < 0 else { return }
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("create") }
    }

    /// Writes what is buffered to the file; `always` makes the file even for no bytes.
    private func flush(always: Bool = false) throws {
        guard !buffer.isEmpty || (always && descriptor < 0) else { return }
        try create()
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Starts writing the `count` bytes just written at `offset` to the disk, without waiting, so
    /// that the hash is computed while they go and the commit's `fsync` has less left to wait for:
    /// 100 MiB are then stored in 59–76 ms rather than 88–95.
    ///
    /// Linux's `posix_fadvise(POSIX_FADV_DONTNEED)` starts the writeback of the dirty pages of a range
    /// and drops only its clean ones, of which a range just written has none. (Linux's
    /// `sync_file_range`, made for this, is not visible to Swift's Glibc module.) Elsewhere the
    /// `fsync` does it all.
    private func startFlushing(_ count: Int, at offset: Int64) {
        #if os(Linux)
            _ = posix_fadvise(descriptor, off_t(offset), off_t(count), POSIX_FADV_DONTNEED)
        #endif
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
