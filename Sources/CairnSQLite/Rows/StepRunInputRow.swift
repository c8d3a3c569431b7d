import GRDB

/// A row of the `stepRunInput` table: an artifact version a step run read.
struct StepRunInputRow: Encodable, PersistableRecord {
    static let databaseTableName = "stepRunInput"

    var stepRunID: String
    /// The input's name.
    var name: String
    /// The position in a fan-in list; 0 for a single artifact.
    var position: Int
    var artifactVersionID: String
}
