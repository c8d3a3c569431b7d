import CairnCore
import Foundation
import GRDB

/// Decodes one of CairnCore's `Decodable` records straight from a database row.
///
/// The records (``StepRunRecord``, ``ArtifactVersionRecord``, …) are built by decoding, the columns
/// being named after their properties; JSON columns are read with ``CanonicalJSON``. This keeps
/// GRDB conformances off CairnCore's public types.
///
/// ```swift
/// let runs = try DecodedRow<RunRecord>.fetchAll(db, sql: "SELECT * FROM run").map(\.value)
/// ```
struct DecodedRow<Value: Decodable>: Decodable, FetchableRecord {
    /// The decoded record.
    var value: Value

    init(from decoder: any Decoder) throws {
        value = try Value(from: decoder)
    }

    static func databaseJSONDecoder(for column: String) -> JSONDecoder {
        CanonicalJSON.makeDecoder()
    }
}

extension DecodedRow: Sendable where Value: Sendable {}
