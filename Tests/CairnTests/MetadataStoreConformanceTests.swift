import CairnCore
import CairnPostgres
import CairnSQLite
import CairnTesting
import Foundation
import GRDB
import Testing

/// The metadata stores every conformance test runs against.
enum StoreKind: CaseIterable, Sendable {
    case sqlite
    /// A schema of its own on the test process's private server (``PostgreSQLTestServer``).
    case postgresql

    /// Every kind that can run here: PostgreSQL where its server is installed, and always under CI,
    /// where a missing server fails the tests (`PostgreSQLStoreTests` says what to install when it is missing).
    static var allCases: [StoreKind] {
        PostgreSQLTestServer.canRun ? [.sqlite, .postgresql] : [.sqlite]
    }
}

/// A fresh, empty store of `kind`, and a function that deletes or closes it.
func makeStore(_ kind: StoreKind) async throws -> (store: any MetadataStore, cleanup: @Sendable () -> Void) {
    switch kind {
    case .sqlite:
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-metadata-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let cleanup: @Sendable () -> Void = { try? FileManager.default.removeItem(at: folder) }
        return (try SQLiteMetadataStore(path: folder.appendingPathComponent("metadata.sqlite").path), cleanup)
    case .postgresql:
        let store = try await PostgreSQLTestServer.shared().makeStore()
        // The schema goes with the server at the end of the process; the pool's connections close now.
        return (store, { Task { await store.close() } })
    }
}

/// Every metadata store passes the conformance suite shipped in `CairnTesting`, unchanged.
@Suite("MetadataStore conformance", .timeLimit(.minutes(2)))
struct MetadataStoreConformanceTests {
    @Test("every check of the suite passes", arguments: StoreKind.allCases, MetadataStoreConformance.checks)
    func conforms(kind: StoreKind, check: ConformanceCheck<any MetadataStore>) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        try await check.run(on: store)
    }
}
