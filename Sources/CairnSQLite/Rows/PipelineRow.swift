import Foundation
import GRDB

/// A row of the `pipeline` table, as inserted.
struct PipelineRow: Encodable, PersistableRecord {
    static let databaseTableName = "pipeline"

    /// The pipeline's name.
    var name: String
    /// When its first run was recorded.
    var createdAt: Date
}
