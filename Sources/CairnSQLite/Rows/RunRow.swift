import CairnCore
import Foundation
import GRDB

/// A row of the `run` table, as inserted.
///
/// The identifier is stored as ``StoredIdentifier`` keeps it; JSON columns are held as text made by
/// ``CanonicalJSON``; the graph is kept apart, a node a row
/// of the `runNode` table. Rows are read back as ``RunRecord`` through ``DecodedRow``, with
/// ``SQLiteMetadataStore/runSelection``.
struct RunRow: PersistableRecord {
    static let databaseTableName = "run"

    var id: String
    var name: String
    var pipelineName: String
    var status: String
    var startedAt: Date
    var endedAt: Date?
    /// The number of the run's configuration in the `runConfiguration` table, which holds its
    /// canonical JSON once for every run that has the same.
    var configurationID: Int64
    var error: String?
    /// Output name → artifact version identifier, as a canonical JSON object.
    var outputs: String
    var host: String
    var processID: Int32
    var processStart: String?
    var heartbeatAt: Date

    /// The row of a new, running run, under its final name.
    init(id: String, name: String, configurationID: Int64, run: NewRun) throws {
        self.id = id
        self.name = name
        pipelineName = run.pipelineName
        status = ExecutionStatus.running.rawValue
        startedAt = run.startedAt
        endedAt = nil
        self.configurationID = configurationID
        error = nil
        outputs = try CanonicalJSON.text(encoding: [String: String]())
        host = run.host
        processID = run.processID
        processStart = run.processStart
        heartbeatAt = run.startedAt
    }

    func encode(to container: inout PersistenceContainer) {
        container["id"] = StoredIdentifier.value(id)
        container["name"] = name
        container["pipelineName"] = pipelineName
        container["status"] = status
        container["startedAt"] = DatabaseDate.value(startedAt)
        container["endedAt"] = endedAt.map(DatabaseDate.value)
        container["configurationID"] = configurationID
        container["error"] = error
        container["outputs"] = outputs
        container["host"] = host
        container["processID"] = processID
        container["processStart"] = processStart
        container["heartbeatAt"] = DatabaseDate.value(heartbeatAt)
    }
}
