import CairnCore
import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a stored artifact while computing its SHA-256 digest, to check it against the expected one.
final class HashingFileReader: ByteReader {
    private let path: String
    private let expectedDigest: String
    private let descriptor: Int32
    private var hasher = SHA256()
    private(set) var remainingCount: Int

    init(path: String, digest: String) throws {
        self.path = path
        self.expectedDigest = digest
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { throw CairnError.missingArtifact(digest: digest) }
            throw CairnError.store("could not open \(path): \(String(cString: strerror(errno)))")
        }
        var status = stat()
        fstat(descriptor, &status)
        remainingCount = Int(status.st_size)
    }

    deinit {
        close(descriptor)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws {
        guard buffer.count <= remainingCount else {
            throw CairnError.corruptArtifact("\(path) ends \(buffer.count - remainingCount) bytes early")
        }
        if buffer.count >= Self.chunkSize * 2 {
            try readWhileHashing(buffer)
        } else {
            try readAll(into: buffer)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
        }
        remainingCount -= buffer.count
    }

    /// Large reads go in chunks of this size, each hashed on one thread while the next is read on another.
    private static let chunkSize = 1 << 22

    /// Reads `buffer` chunk by chunk, hashing each chunk while the next one is read: for large
    /// reads, hashing takes longer than reading, and reading a chunk does not need the hash of the
    /// one before.
    private func readWhileHashing(_ buffer: UnsafeMutableRawBufferPointer) throws {
        var chunk = 0..<Self.chunkSize
        try readAll(into: UnsafeMutableRawBufferPointer(rebasing: buffer[chunk]))
        while !chunk.isEmpty {
            let next = chunk.upperBound..<min(chunk.upperBound + Self.chunkSize, buffer.count)
            try SideBySide.run(
                { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[chunk])) },
                { try readAll(into: UnsafeMutableRawBufferPointer(rebasing: buffer[next])) })
            chunk = next
        }
    }

    private func readAll(into buffer: UnsafeMutableRawBufferPointer) throws {
        var offset = 0
        while offset < buffer.count {
            let count = Glibc.read(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                throw CairnError.store("could not read \(path): \(count == 0 ? "unexpected end of file" : String(cString: strerror(errno)))")
            }
            offset += count
        }
    }

    /// Hashes whatever the serializer left unread and checks the digest.
    func verify() throws {
        // Serializers usually read everything: the chunk is allocated only for what they left.
        if remainingCount > 0 {
            var chunk = [UInt8](repeating: 0, count: min(1 << 16, remainingCount))
            while remainingCount > 0 {
                let count = min(chunk.count, remainingCount)
                try chunk.withUnsafeMutableBytes { try read(into: UnsafeMutableRawBufferPointer(rebasing: $0[..<count])) }
            }
        }
        let actual = hasher.finalize().hexString
        guard actual == expectedDigest else {
            throw CairnError.digestMismatch(expected: expectedDigest, actual: actual)
        }
    }
}
