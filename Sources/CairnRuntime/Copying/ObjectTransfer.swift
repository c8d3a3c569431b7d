import CairnCore
import Foundation

/// What copying one object from an artifact store to another found (``ArtifactStore/transfer(_:to:)``).
enum ObjectTransfer: Sendable, Equatable {
    /// The destination holds the bytes already.
    case present
    /// The bytes were copied; this many.
    case copied(size: Int64)
    /// The source's bytes are missing or changed: nothing was copied.
    case unusable(ArtifactCondition)
}

extension ArtifactStore {
    /// Copies the bytes stored under `digest` into `destination`, unless it holds them already.
    ///
    /// The bytes go through a temporary file, a mebibyte at a time, so that an object of any size
    /// takes little memory: this store checks them against their digest as they are read, and the
    /// digest `destination` stores them under must be the same.
    ///
    /// - Throws: ``CairnError/digestMismatch(expected:actual:)`` when `destination` stored other
    ///   bytes, and what either store throws when it cannot read or write.
    func transfer(_ digest: String, to destination: any ArtifactStore) async throws -> ObjectTransfer {
        if try await destination.contains(digest) { return .present }
        let file = FileManager.default.temporaryDirectory.appending(path: "cairn-transfer-\(UUID().uuidString.lowercased())")
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            try await load(digest) { reader in
                guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                    throw CairnError.store("cannot create the temporary file \(file.path) to copy an object")
                }
                let handle = try FileHandle(forWritingTo: file)
                defer { try? handle.close() }
                while reader.remainingCount > 0 {
                    try handle.write(contentsOf: try reader.readData(count: min(chunkSize, reader.remainingCount)))
                }
            }
        } catch CairnError.missingArtifact {
            return .unusable(.missing)
        } catch CairnError.digestMismatch(_, let actual) {
            return .unusable(.damaged("its bytes hash to \(actual)"))
        } catch CairnError.corruptArtifact(let reason) {
            return .unusable(.damaged(reason))
        }
        let stored = try await destination.store { writer in
            let handle = try FileHandle(forReadingFrom: file)
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
                try writer.write(chunk)
            }
        }
        guard stored.digest == digest else {
            throw CairnError.digestMismatch(expected: digest, actual: stored.digest)
        }
        return .copied(size: stored.size)
    }
}

/// How much of an object ``ArtifactStore/transfer(_:to:)`` holds in memory at once: 1 MiB.
private let chunkSize = 1 << 20
