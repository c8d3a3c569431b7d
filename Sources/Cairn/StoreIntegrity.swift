public import CairnRuntime
import CairnCore
import CairnSQLite

/// Checks that a local store is whole: SQLite's own integrity check, plus Cairn's check that every
/// recorded artifact version's bytes exist and still hash to its digest.
public enum StoreIntegrity {
    /// The problems found, each naming what is wrong; empty for a healthy store.
    public static func problems(in stack: Stack) async throws -> [String] {
        var problems: [String] = []
        if let sqlite = stack.metadata as? SQLiteMetadataStore {
            problems += try await sqlite.integrityCheck().map { "SQLite: \($0)" }
        }
        for digest in try await stack.metadata.referencedDigests() {
            do {
                _ = try await stack.artifacts.load(digest) { reader in
                    var buffer = [UInt8](repeating: 0, count: 1 << 16)
                    while reader.remainingCount > 0 {
                        let count = min(buffer.count, reader.remainingCount)
                        try buffer.withUnsafeMutableBytes { try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[..<count])) }
                    }
                }
            } catch {
                problems.append("artifact \(digest): \(error)")
            }
        }
        return problems
    }
}
