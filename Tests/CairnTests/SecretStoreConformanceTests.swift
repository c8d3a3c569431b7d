import CairnCore
import CairnTesting
import Testing

/// Every metadata store passes the secret store conformance suite shipped in `CairnTesting`, unchanged.
@Suite("SecretStore conformance", .timeLimit(.minutes(2)))
struct SecretStoreConformanceTests {
    @Test("every check of the suite passes", arguments: StoreKind.allCases, SecretStoreConformance.checks)
    func conforms(kind: StoreKind, check: ConformanceCheck<any SecretStore>) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        try await check.run(on: store)
    }
}
