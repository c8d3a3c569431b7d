import Foundation
import GRDB

/// How the SQLite store keeps a step run's code fingerprint and cache key: a SHA-256 digest in
/// lowercase hexadecimal as its 32 bytes, any other text as it is.
///
/// Every step run of every rerun repeats both, 64 characters each; as blobs they take half. Like
/// ``StoredIdentifier``, the conversion is exact both ways: only 64 lowercase hexadecimal digits
/// become a blob, and a blob of 32 bytes always reads back as them, so equal texts are equal
/// values and the cache lookup finds its key through the same index.
///
/// ```swift
/// try Row.fetchAll(db, sql: "SELECT * FROM stepRun WHERE cacheKey = ?", arguments: [StoredDigest.value(key)])
/// ```
enum StoredDigest {
    /// The value stored for `digest`: its 32 bytes when it is 64 lowercase hexadecimal digits, else its text.
    static func value(_ digest: String) -> DatabaseValue {
        bytes(digest)?.databaseValue ?? digest.databaseValue
    }

    /// The value stored for `digest`, or `NULL`.
    static func value(_ digest: String?) -> DatabaseValue {
        digest.map(value) ?? .null
    }

    /// The digest a stored value holds: the lowercase hexadecimal digits of a 32-byte blob, or the text.
    static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .blob(let bytes) where bytes.count == 32: Hexadecimal.text(bytes, separatingBefore: [])
        case .string(let text): text
        default: nil
        }
    }

    /// The 32 bytes that 64 lowercase hexadecimal digits stand for, or `nil` for any other text.
    private static func bytes(_ digest: String) -> Data? {
        var digest = digest
        digest.makeContiguousUTF8()
        return digest.utf8.withContiguousStorageIfAvailable { characters -> Data? in
            guard characters.count == 64 else { return nil }
            return Hexadecimal.bytes(characters, skipping: [])
        } ?? nil
    }
}
