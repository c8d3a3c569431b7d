import Foundation
package import GRDB

/// How the SQLite store keeps a record's identifier: a lowercase UUID as its 16 bytes, any other
/// identifier as the text it is.
///
/// Identifiers are most of what a run's records hold: a step run's, its run's and the artifact
/// versions it reads and writes, in every link and in the indexes over them. As text a UUID takes
/// 36 bytes; as a blob, 16. Every identifier column (`run.id`, `stepRun.runID`,
/// `stepRunInput.artifactVersionID`, `metadata.entityID`, …) holds ``value(_:)`` of the identifier,
/// so that equal identifiers are equal values and lookups use the indexes as before; the records
/// the store returns hold the text again (``text(_:)``, and ``StoredRecord`` for whole records).
///
/// Both conversions are exact: only the lowercase text form of a UUID becomes a blob, and a blob of
/// 16 bytes always reads back as that form, so an identifier given in any other form (uppercase, or
/// not a UUID at all) is kept, and found, as the text it is.
///
/// ```swift
/// try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [StoredIdentifier.value(id)])
/// ```
package enum StoredIdentifier {
    /// The value stored for `id`: its 16 bytes when it is a lowercase UUID, else its text.
    package static func value(_ id: String) -> DatabaseValue {
        uuidBytes(id)?.databaseValue ?? id.databaseValue
    }

    /// The value stored for `id`, or `NULL`.
    package static func value(_ id: String?) -> DatabaseValue {
        id.map(value) ?? .null
    }

    /// The identifier a stored value holds: the lowercase text of a 16-byte blob, or the text.
    package static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .blob(let bytes) where bytes.count == 16:
            Hexadecimal.text(bytes, separatingBefore: [4, 6, 8, 10])
        case .string(let text):
            text
        default:
            nil
        }
    }

    /// The identifier read from `column` of `row`.
    static func text(_ row: Row, _ column: String) -> String? {
        text(row[column] as DatabaseValue)
    }

    /// The 16 bytes of a UUID in lowercase text form (`019ab5e1-d9cb-769f-a165-70867728950e`), or
    /// `nil` for any other text.
    private static func uuidBytes(_ id: String) -> Data? {
        var id = id
        id.makeContiguousUTF8()
        return id.utf8.withContiguousStorageIfAvailable { characters -> Data? in
            guard characters.count == 36 else { return nil }
            return Hexadecimal.bytes(characters, skipping: [8, 13, 18, 23])
        } ?? nil
    }
}
