public import CairnCore
import CairnRuntime
import Crypto
import Foundation
import Testing

/// The conformance suite of ``SecretStore``: the checks every secret store must pass, unchanged.
/// Cairn's SQLite and PostgreSQL metadata stores pass it; so must any other backend.
///
/// Run each check on a fresh, empty store:
///
/// ```swift
/// @Test(arguments: SecretStoreConformance.checks)
/// func conforms(to check: ConformanceCheck<any SecretStore>) async throws {
///     try await check.run(on: MyVault(url: temporaryVault()))
/// }
/// ```
public enum SecretStoreConformance {
    /// Every check: rows kept byte for byte, names unique, conditional replacement, deletion,
    /// sealed rows that open only in their own row, and concurrent updates.
    public static var checks: [ConformanceCheck<any SecretStore>] {
        [
            ConformanceCheck("A row is kept byte for byte, and secrets are listed by name", roundTrip),
            ConformanceCheck("A name taken is refused", nameTaken),
            ConformanceCheck("A replacement applies only while the row is the version and master key it was read as", conditionalReplace),
            ConformanceCheck("Deleting removes one secret, once", deletion),
            ConformanceCheck("Sealed values open after a round trip, and not in another row or an older version", sealedRows),
            ConformanceCheck("Concurrent updates of one secret each apply once, each version whole", concurrentUpdates),
        ]
    }

    /// A keyring for the checks: a fixed key, so that failures are reproducible.
    static let keyring = MasterKeyring(current: MasterKey(id: "conformance", key: .init(data: Data(repeating: 7, count: 32))))

    /// A row with distinct bytes, created and updated at whole seconds.
    static func row(_ name: String, version: Int = 1, keyID: String = "k1", byte: UInt8 = 1) -> EncryptedSecret {
        EncryptedSecret(
            name: name, version: version, keys: ["a", "b"], masterKeyID: keyID, wrappedKey: Data([0, byte, 255, byte]),
            ciphertext: Data((0..<300).map { UInt8(truncatingIfNeeded: $0 &* Int(byte)) }), createdAt: StoreSamples.date(1),
            updatedAt: StoreSamples.date(version + 1))
    }

    static func roundTrip(_ store: any SecretStore) async throws {
        #expect(try await store.secrets().isEmpty)
        #expect(try await store.secret(named: "missing") == nil)
        try await store.insertSecret(row("zeta", byte: 3))
        try await store.insertSecret(row("alpha", byte: 5))
        #expect(try await store.secret(named: "zeta") == row("zeta", byte: 3))
        #expect(try await store.secrets() == [row("alpha", byte: 5), row("zeta", byte: 3)])
    }

    static func nameTaken(_ store: any SecretStore) async throws {
        try await store.insertSecret(row("api"))
        await #expect(throws: SecretError.exists("api")) { try await store.insertSecret(row("api", byte: 9)) }
        #expect(try await store.secret(named: "api") == row("api"))
    }

    static func conditionalReplace(_ store: any SecretStore) async throws {
        let first = row("api")
        try await store.insertSecret(first)
        let second = row("api", version: 2, byte: 2)
        #expect(try await store.replaceSecret(second, ifStill: first))
        // A writer that read version 1 is too late.
        #expect(try await store.replaceSecret(row("api", version: 2, byte: 4), ifStill: first) == false)
        #expect(try await store.secret(named: "api") == second)
        // A rotation keeps the version and changes the master key: a writer that read the old key is too late.
        let rewrapped = row("api", version: 2, keyID: "k2", byte: 2)
        #expect(try await store.replaceSecret(rewrapped, ifStill: second))
        #expect(try await store.replaceSecret(row("api", version: 2, keyID: "k3"), ifStill: second) == false)
        #expect(try await store.secret(named: "api") == rewrapped)
        #expect(try await store.replaceSecret(row("gone", version: 2), ifStill: row("gone")) == false)
        #expect(try await store.secret(named: "gone") == nil)
    }

    static func deletion(_ store: any SecretStore) async throws {
        try await store.insertSecret(row("one"))
        try await store.insertSecret(row("two"))
        #expect(try await store.deleteSecret(named: "one"))
        #expect(try await store.deleteSecret(named: "one") == false)
        #expect(try await store.secrets().map(\.name) == ["two"])
    }

    static func sealedRows(_ store: any SecretStore) async throws {
        let secrets = Secrets(store: store, keys: .keys(keyring))
        try await secrets.create("aws", values: ["access_key_id": "AKIA-conformance", "secret_access_key": "s3cr3t/with=signs"])
        try await secrets.create("api", values: ["token": "t0ken"])
        #expect(try await secrets.values(of: "aws") == ["access_key_id": "AKIA-conformance", "secret_access_key": "s3cr3t/with=signs"])
        let version1 = try #require(try await store.secret(named: "api"))
        #expect(try await secrets.update("api", setting: ["token": "new"]) == 2)
        let version2 = try #require(try await store.secret(named: "api"))
        // Version 1's ciphertext put back as version 2 does not open.
        var rolledBack = version1
        rolledBack.version = 2
        #expect(try await store.replaceSecret(rolledBack, ifStill: version2))
        await #expect(throws: SecretError.undecryptable(secret: "api", keyID: "conformance")) { try await secrets.values(of: "api") }
        // Another secret's ciphertext and data key, moved into this row, do not open.
        var moved = try #require(try await store.secret(named: "aws"))
        moved.name = "api"
        moved.version = 2
        #expect(try await store.replaceSecret(moved, ifStill: rolledBack))
        await #expect(throws: SecretError.undecryptable(secret: "api", keyID: "conformance")) { try await secrets.values(of: "api") }
    }

    static func concurrentUpdates(_ store: any SecretStore) async throws {
        let secrets = Secrets(store: store, keys: .keys(keyring))
        try await secrets.create("shared", values: ["left": "0", "right": "0"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for side in ["left", "right"] {
                group.addTask {
                    for count in 1...10 { try await secrets.update("shared", setting: [side: "\(count)"]) }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await secrets.values(of: "shared") == ["left": "10", "right": "10"])
        #expect(try await secrets.summary(of: "shared").version == 21)
    }
}
