import GRDB

/// A row of the `stepRunOutput` table: an artifact version a step run produced.
struct StepRunOutputRow: Encodable, PersistableRecord {
    static let databaseTableName = "stepRunOutput"

    var stepRunID: String
    /// The output's name.
    var name: String
    var artifactVersionID: String
}
