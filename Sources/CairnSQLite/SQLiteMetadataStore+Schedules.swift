public import CairnCore
public import Foundation
import GRDB

extension SQLiteMetadataStore {
    // MARK: - Schedules

    /// Records a new schedule.
    ///
    /// - Throws: `CairnError.nameTaken(kind:name:)` when another schedule has its name; then nothing is written.
    public func createSchedule(_ schedule: ScheduleRecord) async throws {
        let columns = ScheduleTimingColumns(schedule.timing)
        do {
            try await write { db in
                try db.execute(
                    literal: """
                        INSERT INTO schedule (id, name, pipelineName, kind, cron, timeZone, intervalSeconds, startsAt, endsAt, catchUp,
                            parameters, configuration, isActive, createdAt, updatedAt)
                        VALUES (\(StoredIdentifier.value(schedule.id)), \(schedule.name), \(schedule.pipelineName), \(columns.kind),
                            \(columns.cron), \(columns.timeZone), \(columns.intervalSeconds), \(columns.startsAt), \(columns.endsAt),
                            \(columns.catchUp), \(schedule.parameters), \(schedule.configuration), \(schedule.isActive),
                            \(schedule.createdAt), \(schedule.updatedAt))
                        """)
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw CairnError.nameTaken(kind: "schedule", name: schedule.name)
        }
    }

    /// The schedule with this name.
    public func schedule(named name: String) async throws -> ScheduleRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.scheduleColumns) FROM schedule WHERE name = ?", arguments: [name]).map(Self.scheduleRecord)
        }
    }

    /// Every schedule, by name.
    public func schedules() async throws -> [ScheduleRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.scheduleColumns) FROM schedule ORDER BY name").map(Self.scheduleRecord)
        }
    }

    /// Replaces a schedule's timing, parameters, configuration and activity, by identifier.
    ///
    /// - Throws: `CairnError.notFound(kind:name:suggestion:)` when there is no such schedule.
    public func updateSchedule(_ schedule: ScheduleRecord) async throws {
        let columns = ScheduleTimingColumns(schedule.timing)
        try await write { db in
            try db.execute(
                literal: """
                    UPDATE schedule SET pipelineName = \(schedule.pipelineName), kind = \(columns.kind), cron = \(columns.cron),
                        timeZone = \(columns.timeZone), intervalSeconds = \(columns.intervalSeconds), startsAt = \(columns.startsAt),
                        endsAt = \(columns.endsAt), catchUp = \(columns.catchUp), parameters = \(schedule.parameters),
                        configuration = \(schedule.configuration), isActive = \(schedule.isActive), updatedAt = \(schedule.updatedAt)
                    WHERE id = \(StoredIdentifier.value(schedule.id))
                    """)
            guard db.changesCount == 1 else { throw CairnError.notFound(kind: "schedule", name: schedule.name, suggestion: nil) }
        }
    }

    /// Deletes a schedule and its occurrences; the runs it started stay.
    ///
    /// - Throws: `CairnError.notFound(kind:name:suggestion:)` when there is no such schedule.
    public func deleteSchedule(id: String) async throws {
        try await write { db in
            // Its occurrences go with it (ON DELETE CASCADE).
            try db.execute(sql: "DELETE FROM schedule WHERE id = ?", arguments: [StoredIdentifier.value(id)])
            guard db.changesCount == 1 else { throw CairnError.notFound(kind: "schedule", name: id, suggestion: nil) }
        }
    }

    /// Claims an occurrence in one statement: the insert of its key, or, when the key is there, the
    /// take-over of a claim that has no run and is older than `staleBefore`.
    ///
    /// - Throws: `CairnError.notFound(kind:name:suggestion:)` when there is no such schedule.
    public func claimOccurrence(
        scheduleID: String, fireTime: Date, claimant: RunOwner, at date: Date, takingOverClaimsBefore staleBefore: Date
    ) async throws -> Bool {
        do {
            return try await write { db in
                try db.execute(
                    literal: """
                        INSERT INTO scheduleOccurrence (scheduleID, fireTime, claimantHost, claimantProcessID, claimedAt)
                        VALUES (\(StoredIdentifier.value(scheduleID)), \(fireTime), \(claimant.host), \(claimant.processID), \(date))
                        ON CONFLICT (scheduleID, fireTime) DO UPDATE SET
                            claimantHost = excluded.claimantHost, claimantProcessID = excluded.claimantProcessID, claimedAt = excluded.claimedAt
                        WHERE runID IS NULL AND claimedAt < \(staleBefore)
                        """)
                return db.changesCount == 1
            }
        } catch let error as DatabaseError where error.isForeignKeyViolation {
            throw CairnError.notFound(kind: "schedule", name: scheduleID, suggestion: nil)
        }
    }

    /// Records the run an occurrence started, if `claimant` still holds its claim and no run is recorded.
    @discardableResult
    public func recordOccurrenceRun(scheduleID: String, fireTime: Date, runID: String, claimant: RunOwner) async throws -> Bool {
        try await write { db in
            try db.execute(
                literal: """
                    UPDATE scheduleOccurrence SET runID = \(StoredIdentifier.value(runID))
                    WHERE scheduleID = \(StoredIdentifier.value(scheduleID)) AND fireTime = \(fireTime)
                        AND claimantHost = \(claimant.host) AND claimantProcessID = \(claimant.processID) AND runID IS NULL
                    """)
            return db.changesCount == 1
        }
    }

    /// At most `limit` occurrences of a schedule, the latest first.
    public func occurrences(ofSchedule id: String, limit: Int) async throws -> [ScheduleOccurrence] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT scheduleID, fireTime, claimantHost, claimantProcessID, claimedAt, runID FROM scheduleOccurrence
                    WHERE scheduleID = ? ORDER BY fireTime DESC LIMIT ?
                    """,
                arguments: [StoredIdentifier.value(id), limit]
            ).map { row in
                ScheduleOccurrence(
                    scheduleID: StoredIdentifier.text(row, "scheduleID") ?? id, fireTime: row["fireTime"],
                    claimant: RunOwner(host: row["claimantHost"], processID: row["claimantProcessID"]), claimedAt: row["claimedAt"],
                    runID: StoredIdentifier.text(row, "runID"))
            }
        }
    }

    // MARK: - Helpers

    /// The columns ``scheduleRecord(_:)`` reads.
    private static let scheduleColumns = """
        id, name, pipelineName, kind, cron, timeZone, intervalSeconds, startsAt, endsAt, catchUp, parameters, configuration,
        isActive, createdAt, updatedAt
        """

    /// The schedule a row of ``scheduleColumns`` holds.
    private static func scheduleRecord(_ row: Row) throws -> ScheduleRecord {
        let name: String = row["name"]
        let columns = ScheduleTimingColumns(
            kind: row["kind"], cron: row["cron"], timeZone: row["timeZone"], intervalSeconds: row["intervalSeconds"],
            startsAt: row["startsAt"], endsAt: row["endsAt"], catchUp: row["catchUp"])
        return ScheduleRecord(
            id: StoredIdentifier.text(row, "id") ?? "", name: name, pipelineName: row["pipelineName"],
            timing: try columns.timing(ofSchedule: name), parameters: row["parameters"], configuration: row["configuration"],
            isActive: row["isActive"], createdAt: row["createdAt"], updatedAt: row["updatedAt"])
    }

    /// The tables of schedules and of their claimed occurrences.
    ///
    /// An occurrence's key is its schedule and fire time: inserting it is the claim, so that of the
    /// schedulers that try, one gets it. Its run is not a foreign key: a run deleted later must not
    /// make its occurrence look unstarted, and be run again.
    static func createScheduleTables(_ db: Database) throws {
        try db.create(table: "schedule") { t in
            t.primaryKey("id", .blob)
            t.column("name", .text).notNull().unique()
            t.column("pipelineName", .text).notNull()
            t.column("kind", .text).notNull()
            t.column("cron", .text)
            t.column("timeZone", .text)
            t.column("intervalSeconds", .double)
            t.column("startsAt", .datetime)
            t.column("endsAt", .datetime)
            t.column("catchUp", .boolean).notNull()
            t.column("parameters", .text).notNull()
            t.column("configuration", .text)
            t.column("isActive", .boolean).notNull()
            t.column("createdAt", .datetime).notNull()
            t.column("updatedAt", .datetime).notNull()
        }
        try db.create(table: "scheduleOccurrence", options: .withoutRowID) { t in
            t.column("scheduleID", .blob).notNull().references("schedule", onDelete: .cascade)
            t.column("fireTime", .datetime).notNull()
            t.column("claimantHost", .text).notNull()
            t.column("claimantProcessID", .integer).notNull()
            t.column("claimedAt", .datetime).notNull()
            t.column("runID", .blob)
            t.primaryKey(["scheduleID", "fireTime"])
        }
    }
}
