import CairnCore
import Foundation
import GRDB

/// Decodes one of CairnCore's `Decodable` records straight from a database row.
///
/// The records (``StepRunRecord``, ``ArtifactVersionRecord``, …) are built by decoding, the columns
/// being named after their properties; JSON columns are read with ``CanonicalJSON``, and
/// identifiers and digests stored as blobs are read back as text (``StoredIdentifier``,
/// ``StoredDigest``). This keeps GRDB conformances off CairnCore's public types.
///
/// ```swift
/// let runs = try DecodedRow<RunRecord>.fetchAll(db, sql: "SELECT * FROM run").map(\.value)
/// ```
struct DecodedRow<Value: Decodable>: FetchableRecord {
    /// The decoded record.
    var value: Value

    init(row: Row) throws {
        value = try Columns(row: Self.withTextIdentifiers(row)).value
    }

    /// `row`, with each identifier and digest stored as a blob in the text it stands for; the
    /// leftmost of columns with the same name, as GRDB reads a column by name.
    private static func withTextIdentifiers(_ row: Row) -> Row {
        var columns: [String: DatabaseValue] = [:]
        for (name, value) in row where columns[name] == nil {
            if case .blob(let bytes) = value.storage, let text = StoredIdentifier.text(value) ?? StoredDigest.text(bytes) {
                columns[name] = text.databaseValue
            } else {
                columns[name] = value
            }
        }
        return Row(columns)
    }

    /// The record decoded from columns named after its properties.
    private struct Columns: Decodable, FetchableRecord {
        var value: Value

        init(from decoder: any Decoder) throws {
            value = try Value(from: decoder)
        }

        static func databaseJSONDecoder(for column: String) -> JSONDecoder {
            CanonicalJSON.makeDecoder()
        }
    }
}

extension DecodedRow: Sendable where Value: Sendable {}
