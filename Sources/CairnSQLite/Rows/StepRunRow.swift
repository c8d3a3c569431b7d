import CairnCore
import Foundation
import GRDB

/// A row of the `stepRun` table, as inserted.
///
/// Rows are read back as ``StepRunRecord`` through ``DecodedRow``.
struct StepRunRow: Encodable, PersistableRecord {
    static let databaseTableName = "stepRun"

    var id: String
    var runID: String
    var invocation: String
    var stepName: String
    var status: String
    var startedAt: Date
    var endedAt: Date?
    /// Parameter name → canonical JSON of its value, as a canonical JSON object.
    var parameters: String
    var fingerprint: String
    var error: String?
    var cachedFrom: String?
    var attempt: Int
    var cacheKey: String?
    var cacheIngredients: String?

    /// The row of a new step run.
    ///
    /// A step run created in a final status (skipped, failed) ends when it starts.
    init(_ stepRun: NewStepRun) throws {
        id = stepRun.id
        runID = stepRun.runID
        invocation = stepRun.invocation
        stepName = stepRun.stepName
        status = stepRun.status.rawValue
        startedAt = stepRun.startedAt
        endedAt = stepRun.status.isFinished ? stepRun.startedAt : nil
        parameters = try CanonicalJSON.text(encoding: stepRun.parameters)
        fingerprint = stepRun.fingerprint
        error = stepRun.error
        cachedFrom = stepRun.cachedFrom
        attempt = stepRun.attempt
        cacheKey = stepRun.cacheKey
        cacheIngredients = stepRun.cacheIngredients
    }
}
