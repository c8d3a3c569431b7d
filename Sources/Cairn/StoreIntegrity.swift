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
                if let problem = try await stack.artifacts.check(digest).problem { problems.append("artifact \(digest): \(problem)") }
            } catch {
                problems.append("artifact \(digest): \(error)")
            }
        }
        return problems
    }
}
