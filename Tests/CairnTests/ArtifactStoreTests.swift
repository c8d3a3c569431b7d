import Cairn
import CairnFixturePipelines
@testable import CairnFileStore
import CairnTesting
import Foundation
import Testing

@Suite("Local artifact store", .timeLimit(.minutes(1)))
struct ArtifactStoreTests {
    let root = FileManager.default.temporaryDirectory.appending(path: "cairn-artifacts-\(UUID().uuidString)")

    func files(in folder: String) throws -> [String] {
        let url = root.appending(path: folder)
        guard let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        return enumerator.compactMap { ($0 as? URL)?.hasDirectoryPath == false ? ($0 as? URL)?.lastPathComponent : nil }
    }

    @Test("bytes are stored under their SHA-256 digest, and identical content is stored once")
    func contentAddressing() async throws {
        let store = try LocalArtifactStore(root: root)
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try await store.store { try $0.write(Data("abc".utf8)) }
        let second = try await store.store { try $0.write(Data("abc".utf8)) }
        #expect(first.digest == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(first == second && first.size == 3)
        #expect(try files(in: "objects") == [first.digest])
        #expect(try files(in: "tmp").isEmpty)
        #expect(try await store.load(first.digest) { try $0.readToEnd() } == Data("abc".utf8))
        #expect(try await store.contains(first.digest))
    }

    @Test("a large write, hashed on another thread while it is written, gets the digest of all its bytes in order")
    func largeWrite() async throws {
        let store = try LocalArtifactStore(root: root)
        defer { try? FileManager.default.removeItem(at: root) }
        let middle = Data((0..<(5 << 20)).map { UInt8($0 % 251) })
        let blob = try await store.store { writer in
            try writer.write(Data("head".utf8))
            try writer.write(middle)
            try writer.write(Data("tail".utf8))
        }
        #expect(blob.digest == "9ef79c94540f9ff794b4bda36d676cec90d6f887b1304f392423d4e28fe9053b", "as sha256sum computes it")
        #expect(blob.size == 5_242_888)
        #expect(try await store.load(blob.digest) { try $0.readToEnd() } == Data("head".utf8) + middle + Data("tail".utf8))
    }

    @Test("writes of every size, buffered, overflowing the buffer or written straight through, are all hashed in order")
    func mixedWrites() async throws {
        let store = try LocalArtifactStore(root: root)
        defer { try? FileManager.default.removeItem(at: root) }
        let pieces = [40 << 10, 40 << 10, 100, 70 << 10, 10, (4 << 20) + 3, 30 << 10].enumerated().map { index, size in
            Data((0..<size).map { UInt8(($0 + index) % 251) })
        }
        let blob = try await store.store { writer in
            for piece in pieces { try writer.write(piece) }
        }
        let whole = pieces.reduce(Data(), +)
        #expect(blob == (try await store.store { try $0.write(whole) }), "the same digest as the bytes written at once")
        #expect(try await store.load(blob.digest) { try $0.readToEnd() } == whole)
    }

    @Test("a large read, hashed chunk by chunk while the next chunk is read, checks every byte")
    func largeRead() async throws {
        let store = try LocalArtifactStore(root: root)
        defer { try? FileManager.default.removeItem(at: root) }
        let bytes = Data((0..<((17 << 20) + 5)).map { UInt8($0 % 253) })
        let blob = try await store.store { try $0.write(bytes) }
        #expect(try await store.load(blob.digest) { try $0.readToEnd() } == bytes)
        // One byte changed in the third chunk, which is read while the second is hashed.
        let handle = try FileHandle(forUpdating: URL(filePath: store.location(of: blob.digest)))
        try handle.seek(toOffset: 9 << 20)
        try handle.write(contentsOf: Data([0xFF]))
        try handle.close()
        let error = await #expect(throws: CairnError.self) { _ = try await store.load(blob.digest) { try $0.readToEnd() } }
        guard case .digestMismatch(let expected, _) = error else {
            Issue.record("expected a digest mismatch, got \(String(describing: error))")
            return
        }
        #expect(expected == blob.digest)
    }

    @Test("staged bytes are read at once from their temporary file, stored only when committed, and gone when discarded")
    func staging() async throws {
        let store = try LocalArtifactStore(root: root)
        defer { try? FileManager.default.removeItem(at: root) }
        let small = Data("staged".utf8)
        let large = Data((0..<100_000).map { UInt8($0 % 253) })
        let stagedSmall = try await store.stage { try $0.write(small) }
        #expect(try files(in: "tmp").isEmpty, "small bytes stay in memory until the commit")
        let stagedLarge = try await store.stage { try $0.write(large) }
        #expect(try files(in: "objects").isEmpty, "nothing is in place before the commit")
        for (staged, bytes) in [(stagedSmall, small), (stagedLarge, large)] {
            #expect(try await store.load(staged.blob.digest) { try $0.readToEnd() } == bytes)
            try await store.commit(staged)
            #expect(try await store.load(staged.blob.digest) { try $0.readToEnd() } == bytes)
        }
        #expect(try Set(files(in: "objects")) == [stagedSmall.blob.digest, stagedLarge.blob.digest] && files(in: "tmp").isEmpty)

        let dropped = try await store.stage { try $0.write(Data("dropped".utf8)) }
        await store.discard(dropped)
        #expect(try files(in: "tmp").isEmpty)
        await #expect(throws: CairnError.missingArtifact(digest: dropped.blob.digest)) {
            try await store.load(dropped.blob.digest) { try $0.readToEnd() }
        }
    }

    @Test("a write that fails halfway leaves no artifact and no temporary file")
    func interruptedWrite() async throws {
        let store = try LocalArtifactStore(root: root)
        defer { try? FileManager.default.removeItem(at: root) }
        await #expect(throws: CairnError.self) {
            _ = try await store.store { writer in
                try writer.write(Data(repeating: 7, count: 1 << 20))
                throw CairnError.store("disk full, simulated")
            }
        }
        #expect(try files(in: "objects").isEmpty)
        #expect(try files(in: "tmp").isEmpty)
    }

    @Test("the staged files of processes that ended are removed; those of live processes, and files named otherwise, stay")
    func abandonedWrites() async throws {
        let store = try LocalArtifactStore(root: root)
        defer { try? FileManager.default.removeItem(at: root) }
        let live = try await store.stage { try $0.write(Data(repeating: 1, count: 1 << 17)) }
        let ended = try await OwnThread.run {
            let process = Process()
            process.executableURL = URL(filePath: "/bin/true")
            try process.run()
            process.waitUntilExit()
            return process.processIdentifier
        }
        let abandoned = LocalArtifactStore.temporaryName(processID: ended)
        try Data(repeating: 2, count: 1 << 17).write(to: root.appending(path: "tmp/\(abandoned)"))
        try Data("not Cairn's naming".utf8).write(to: root.appending(path: "tmp/other"))
        let staged = try #require(live.location.map { URL(filePath: $0).lastPathComponent })
        #expect(try files(in: "tmp").sorted() == [abandoned, "other", staged].sorted())
        await store.removeAbandonedWrites()
        #expect(try files(in: "tmp").sorted() == ["other", staged].sorted())
        try await store.commit(live)
        #expect(try await store.check(live.blob.digest) == .intact)
    }

    @Test("a changed file is detected at load by its digest; a missing one is named")
    func corruption() async throws {
        let store = try LocalArtifactStore(root: root)
        defer { try? FileManager.default.removeItem(at: root) }
        let blob = try await store.store { try $0.write(Data("original".utf8)) }
        try Data("tampered".utf8).write(to: URL(filePath: store.location(of: blob.digest)))
        let error = await #expect(throws: CairnError.self) { _ = try await store.load(blob.digest) { try $0.readToEnd() } }
        guard case .digestMismatch(let expected, _) = error else {
            Issue.record("expected a digest mismatch, got \(String(describing: error))")
            return
        }
        #expect(expected == blob.digest)
        try await store.delete(blob.digest)
        await #expect(throws: CairnError.missingArtifact(digest: blob.digest)) { _ = try await store.load(blob.digest) { try $0.readToEnd() } }
    }

    @Test("writing content whose stored file was damaged replaces the file, atomically", arguments: ObjectDamage.allCases)
    func damagedFileIsReplaced(_ damage: ObjectDamage) async throws {
        let store = try LocalArtifactStore(root: root)
        defer { try? FileManager.default.removeItem(at: root) }
        let blob = try await store.store { try $0.write(Data("the original bytes".utf8)) }
        try damage.apply(to: URL(filePath: store.location(of: blob.digest)))
        #expect(try await store.check(blob.digest) != .intact)
        #expect(try await store.size(of: blob.digest) == (damage == .deleted ? nil : damage == .truncated ? blob.size - 1 : blob.size))
        #expect(try await store.store { try $0.write(Data("the original bytes".utf8)) } == blob)
        #expect(try await store.check(blob.digest) == .intact)
        #expect(try await store.size(of: blob.digest) == blob.size)
        #expect(try await store.load(blob.digest) { try $0.readToEnd() } == Data("the original bytes".utf8))
        #expect(try files(in: "tmp").isEmpty)
    }

    @Test("a digest that is not 64 hex digits cannot point outside the store", arguments: ["../../etc/passwd", "ABC", String(repeating: "g", count: 64)])
    func hostileDigest(_ digest: String) async throws {
        let store = try LocalArtifactStore(root: root)
        defer { try? FileManager.default.removeItem(at: root) }
        await #expect(throws: CairnError.self) { _ = try await store.load(digest) { try $0.readToEnd() } }
    }

    @Test("large artifacts stream through without loss")
    func largeArtifact() async throws {
        let store = try LocalArtifactStore(root: root)
        defer { try? FileManager.default.removeItem(at: root) }
        let values = (0..<1_000_000).map { Double($0) * 0.5 }
        let serializer = NumPyArtifactSerializer<Double>()
        let blob = try await store.store { try serializer.write(values, to: $0) }
        #expect(blob.size > 8_000_000)
        #expect(try await store.load(blob.digest) { try serializer.read(from: $0) } == values)
    }
}
