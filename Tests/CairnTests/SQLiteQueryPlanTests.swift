import CairnCore
import CairnSQLite
import Foundation
import GRDB
import Testing

@Suite("SQLite query plans of listing and showing runs", .timeLimit(.minutes(1)))
struct SQLiteQueryPlanTests {
    /// The plan SQLite picks for `sql`, one step per line.
    static func plan(_ sql: String, in queue: DatabaseQueue) throws -> [String] {
        try queue.read { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String } }
    }

    /// How the SQLite store selects runs: each row with its graph, put together from its nodes.
    static let runSelection = SQLiteMetadataStore.runSelection

    /// The statements `cairn runs list` and `cairn runs show` make, as the SQLite store writes them.
    static let statements = [
        runSelection + " ORDER BY startedAt DESC, rowid DESC LIMIT 21 OFFSET 0",
        runSelection + " WHERE pipelineName = 'p' ORDER BY startedAt DESC, rowid DESC LIMIT 21 OFFSET 0",
        runSelection + " WHERE status = 'failed' ORDER BY startedAt DESC, rowid DESC LIMIT 21 OFFSET 0",
        runSelection + " WHERE startedAt >= '2025-01-01' ORDER BY startedAt DESC, rowid DESC LIMIT 21 OFFSET 0",
        runSelection + " WHERE pipelineName = 'p' AND startedAt >= '2025-01-01' ORDER BY startedAt DESC, rowid DESC LIMIT 21 OFFSET 0",
        "SELECT runID, status, COUNT(*) AS count FROM stepRun WHERE runID IN ('a','b') GROUP BY runID, status",
        """
        SELECT id, name, (SELECT COUNT(*) FROM runNode WHERE runNode.runID = run.id) AS plannedStepCount FROM run
        WHERE status = 'failed' ORDER BY startedAt DESC, rowid DESC LIMIT 21 OFFSET 0
        """,
        """
        SELECT stepRun.id AS linkStepRunID, stepRunOutput.name AS linkName, artifactVersion.*
        FROM stepRun JOIN stepRunOutput ON stepRunOutput.stepRunNumber = stepRun.number
        JOIN artifactVersion ON artifactVersion.id = stepRunOutput.artifactVersionID
        WHERE stepRun.runID = 'a' ORDER BY stepRunOutput.stepRunNumber, stepRunOutput.name
        """,
        "SELECT * FROM artifactVersion WHERE id IN ('a','b')",
        runSelection + " WHERE id = 'a'",
        runSelection + " WHERE name = 'a'",
        "SELECT name FROM run WHERE name >= 'a' AND name < 'b' ORDER BY name LIMIT 50",
        "SELECT * FROM stepRun WHERE runID = 'a' ORDER BY startedAt, rowid",
        """
        SELECT stepRunOutput.name AS linkName, 0 AS linkPosition, artifactVersion.*
        FROM stepRun JOIN stepRunOutput ON stepRunOutput.stepRunNumber = stepRun.number
        JOIN artifactVersion ON artifactVersion.id = stepRunOutput.artifactVersionID
        WHERE stepRun.id = 'a' ORDER BY stepRunOutput.name
        """,
        """
        SELECT stepRun.id AS stepRunID, run.name AS runName FROM stepRun JOIN run ON run.id = stepRun.runID
        WHERE stepRun.number IN (SELECT stepRunNumber FROM stepRunInput WHERE artifactVersionID = 'a')
        ORDER BY stepRun.startedAt, stepRun.rowid
        """,
    ]

    @Test("listing and showing runs read indexes only: no table scan", arguments: statements)
    func noScans(sql: String) throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-plan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appending(path: "metadata.sqlite").path
        _ = try SQLiteMetadataStore(path: path)
        let plan = try Self.plan(sql, in: try DatabaseQueue(path: path))
        // A scan of a subquery's rows (`SCAN (subquery-1)`) reads what the subquery found, not a table.
        for step in plan where step.hasPrefix("SCAN") && !step.hasPrefix("SCAN (subquery") {
            #expect(step.contains("USING INDEX") || step.contains("USING COVERING INDEX"), "\(sql): \(plan)")
        }
        // Sorting the matching rows for ORDER BY would read all of them first: only the small IN list may be sorted.
        if sql.contains("FROM run") && sql.contains("LIMIT") {
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(sql): \(plan)")
        }
    }
}
