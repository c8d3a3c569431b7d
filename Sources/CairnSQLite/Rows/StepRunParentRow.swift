import GRDB

/// A row of the `stepRunParent` table: a step run another one depends on.
struct StepRunParentRow: Encodable, PersistableRecord {
    static let databaseTableName = "stepRunParent"

    var stepRunID: String
    var parentStepRunID: String
}
