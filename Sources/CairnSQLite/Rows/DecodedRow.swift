import CairnCore
import Foundation
import GRDB

/// Decodes one of CairnCore's `Decodable` records straight from a database row.
///
/// The records (``StepRunRecord``, ``ArtifactVersionRecord``, …) are built by decoding, the columns
/// being named after their properties; JSON columns are read with ``CanonicalJSON``; identifiers
/// and digests, which the store keeps as blobs, are then read as ``StoredRecord`` says. This keeps
/// GRDB conformances off CairnCore's public types.
///
/// ```swift
/// let runs = try DecodedRow<RunRecord>.fetchAll(db, sql: "SELECT * FROM run").map(\.value)
/// ```
struct DecodedRow<Value: StoredRecord>: FetchableRecord {
    /// The decoded record.
    var value: Value

    /// Decodes `row`, a row of the statement being stepped (a row of `fetchAll`, `fetchOne` or a
    /// cursor, not a copy): decoding a stored blob as text works on the statement alone.
    init(row: Row) throws {
        // Before decoding, which turns the blobs it reads as text into text.
        let stored = Value.storedColumns.map { row[$0] as DatabaseValue }
        value = try Columns(row: row).value
        value.readStoredColumns(stored)
    }

    /// The record as decoding makes it, its stored columns read as if they were text.
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
