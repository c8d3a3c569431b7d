public import CairnCore
import Crypto
import Foundation
import Testing

/// The conformance suite of ``ArtifactStore``: what every artifact store must do, whether it keeps
/// bytes in a folder, on a shared file system or in an object store. Each check runs on a fresh, empty store:
///
/// ```swift
/// @Test(arguments: ArtifactStoreConformance.checks)
/// func conforms(to check: ConformanceCheck<any ArtifactStore>) async throws {
///     try await check.run(on: MyArtifactStore(bucket: temporaryBucket()))
/// }
/// ```
public enum ArtifactStoreConformance {
    /// Every check.
    public static let checks: [ConformanceCheck<any ArtifactStore>] = [
        ConformanceCheck("Bytes are stored under their SHA-256 digest, once however often they are written", contentAddressing),
        ConformanceCheck("A write that throws halfway stores nothing", failedWrite),
        ConformanceCheck("Staged bytes are read at once, and stored when committed", staging),
        ConformanceCheck("Bytes that are not there are named missing", missingBytes),
        ConformanceCheck("Bytes are deleted, and kept when written since the cutoff", deletion),
        ConformanceCheck("16 MiB written in pieces read back whole, with the digest of all their bytes", largeBytes),
        ConformanceCheck("Concurrent writes of the same bytes store one object", concurrentWrites),
    ]

    static func contentAddressing(_ store: any ArtifactStore) async throws {
        let first = try await store.store { try $0.write(Data("abc".utf8)) }
        let second = try await store.store { try $0.write(Data("abc".utf8)) }
        #expect(first == StoredBlob(digest: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", size: 3))
        #expect(second == first)
        #expect(try await store.objects().map(\.digest) == [first.digest])
        #expect(try await store.objects().map(\.size) == [3])
        #expect(try await store.contains(first.digest))
        #expect(try await store.size(of: first.digest) == 3)
        #expect(try await store.load(first.digest) { try $0.readToEnd() } == Data("abc".utf8))
        #expect(try await store.check(first.digest) == .intact)
        #expect(store.location(of: first.digest).contains(first.digest))
    }

    static func failedWrite(_ store: any ArtifactStore) async throws {
        struct Halfway: Error {}
        await #expect(throws: Halfway.self) {
            try await store.store { writer in
                try writer.write(Data(repeating: 7, count: 100_000))
                throw Halfway()
            }
        }
        await #expect(throws: Halfway.self) {
            try await store.stage { writer in
                try writer.write(Data(repeating: 8, count: 100_000))
                throw Halfway()
            }
        }
        #expect(try await store.objects().isEmpty)
        await store.removeAbandonedWrites()
        #expect(try await store.objects().isEmpty)
    }

    static func staging(_ store: any ArtifactStore) async throws {
        let staged = try await store.stage { try $0.write(Data("staged".utf8)) }
        #expect(try await store.load(staged.blob.digest) { try $0.readToEnd() } == Data("staged".utf8), "staged bytes are read at once")
        try await store.commit(staged)
        #expect(try await store.contains(staged.blob.digest))
        #expect(try await store.objects().map(\.digest) == [staged.blob.digest])
        #expect(try await store.load(staged.blob.digest) { try $0.readToEnd() } == Data("staged".utf8))
        let dropped = try await store.stage { try $0.write(Data("dropped".utf8)) }
        await store.discard(dropped)
        let stored = try await store.store { try $0.write(Data("dropped".utf8)) }
        #expect(stored == dropped.blob, "bytes discarded once are stored again")
        #expect(try await store.load(stored.digest) { try $0.readToEnd() } == Data("dropped".utf8))
    }

    static func missingBytes(_ store: any ArtifactStore) async throws {
        let digest = String(repeating: "0", count: 64)
        #expect(try await store.contains(digest) == false)
        #expect(try await store.size(of: digest) == nil)
        #expect(try await store.check(digest) == .missing)
        await #expect(throws: CairnError.missingArtifact(digest: digest)) { try await store.load(digest) { try $0.readToEnd() } }
        try await store.delete(digest)
    }

    static func deletion(_ store: any ArtifactStore) async throws {
        let kept = try await store.store { try $0.write(Data("kept".utf8)) }
        let removed = try await store.store { try $0.write(Data("removed".utf8)) }
        #expect(try await store.delete(kept.digest, ifWrittenBefore: Date(timeIntervalSinceNow: -3600)) == false)
        #expect(try await store.contains(kept.digest))
        #expect(try await store.delete(removed.digest, ifWrittenBefore: Date(timeIntervalSinceNow: 3600)))
        #expect(try await store.contains(removed.digest) == false)
        try await store.delete(kept.digest)
        #expect(try await store.objects().isEmpty)
    }

    static func largeBytes(_ store: any ArtifactStore) async throws {
        let piece = Data((0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        var hash = SHA256()
        for index in 0..<256 { hash.update(data: piece + [UInt8(index)]) }
        let expected = hash.finalize().map { String(format: "%02x", $0) }.joined()
        let blob = try await store.store { writer in
            for index in 0..<256 { try writer.write(piece + [UInt8(index)]) }
        }
        #expect(blob == StoredBlob(digest: expected, size: 256 * 65_537))
        var readBack = SHA256()
        let size = try await store.load(blob.digest) { reader in
            var total = 0
            var buffer = [UInt8](repeating: 0, count: 100_000)
            while reader.remainingCount > 0 {
                let count = min(buffer.count, reader.remainingCount)
                try buffer.withUnsafeMutableBytes { try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[..<count])) }
                readBack.update(data: buffer[..<count])
                total += count
            }
            return total
        }
        #expect(size == 256 * 65_537)
        #expect(readBack.finalize().map { String(format: "%02x", $0) }.joined() == expected)
    }

    static func concurrentWrites(_ store: any ArtifactStore) async throws {
        let bytes = Data(repeating: 42, count: 1_000_000)
        let blobs = try await withThrowingTaskGroup(of: StoredBlob.self) { group in
            for _ in 0..<8 { group.addTask { try await store.store { try $0.write(bytes) } } }
            return try await group.reduce(into: [StoredBlob]()) { $0.append($1) }
        }
        #expect(Set(blobs.map(\.digest)).count == 1 && blobs[0].size == 1_000_000)
        #expect(try await store.objects().map(\.size) == [1_000_000])
        #expect(try await store.check(blobs[0].digest) == .intact)
    }
}
