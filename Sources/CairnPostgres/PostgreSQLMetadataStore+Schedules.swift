public import CairnCore
public import Foundation
import PostgresNIO

extension PostgreSQLMetadataStore {
    // MARK: - Schedules

    /// Records a new schedule: one statement.
    ///
    /// - Throws: `CairnError.nameTaken(kind:name:)` when another schedule has its name; then nothing is written.
    public func createSchedule(_ schedule: ScheduleRecord) async throws {
        let columns = ScheduleTimingColumns(schedule.timing)
        do {
            _ = try await rawRows(
                """
                INSERT INTO schedule (id, name, pipeline_name, kind, cron, time_zone, interval_seconds, starts_at, ends_at, catch_up,
                    parameters, configuration, is_active, created_at, updated_at)
                VALUES (\(schedule.id), \(schedule.name), \(schedule.pipelineName), \(columns.kind), \(columns.cron), \(columns.timeZone),
                    \(columns.intervalSeconds), \(columns.startsAt), \(columns.endsAt), \(columns.catchUp), \(schedule.parameters),
                    \(schedule.configuration), \(schedule.isActive), \(schedule.createdAt), \(schedule.updatedAt))
                """)
        } catch let error as PSQLError where error.sqlState == "23505" && error.serverInfo?[.constraintName] == "schedule_name_key" {
            throw CairnError.nameTaken(kind: "schedule", name: schedule.name)
        } catch let error as PSQLError {
            throw storeError(error)
        }
    }

    /// The schedule with this name.
    public func schedule(named name: String) async throws -> ScheduleRecord? {
        try await rows("SELECT \(unescaped: Self.scheduleColumns) FROM schedule WHERE name = \(name)").first.map(Self.scheduleRecord)
    }

    /// Every schedule, by name.
    public func schedules() async throws -> [ScheduleRecord] {
        try await rows("SELECT \(unescaped: Self.scheduleColumns) FROM schedule ORDER BY name").map(Self.scheduleRecord)
    }

    /// Replaces a schedule's timing, parameters, configuration and activity, by identifier: one statement.
    ///
    /// - Throws: `CairnError.notFound(kind:name:suggestion:)` when there is no such schedule.
    public func updateSchedule(_ schedule: ScheduleRecord) async throws {
        let columns = ScheduleTimingColumns(schedule.timing)
        let updated = try await rows(
            """
            UPDATE schedule SET pipeline_name = \(schedule.pipelineName), kind = \(columns.kind), cron = \(columns.cron),
                time_zone = \(columns.timeZone), interval_seconds = \(columns.intervalSeconds), starts_at = \(columns.startsAt),
                ends_at = \(columns.endsAt), catch_up = \(columns.catchUp), parameters = \(schedule.parameters),
                configuration = \(schedule.configuration), is_active = \(schedule.isActive), updated_at = \(schedule.updatedAt)
            WHERE id = \(schedule.id) RETURNING id
            """)
        guard !updated.isEmpty else { throw CairnError.notFound(kind: "schedule", name: schedule.name, suggestion: nil) }
    }

    /// Deletes a schedule and its occurrences; the runs it started stay.
    ///
    /// - Throws: `CairnError.notFound(kind:name:suggestion:)` when there is no such schedule.
    public func deleteSchedule(id: String) async throws {
        // Its occurrences go with it (ON DELETE CASCADE).
        let deleted = try await rows("DELETE FROM schedule WHERE id = \(id) RETURNING id")
        guard !deleted.isEmpty else { throw CairnError.notFound(kind: "schedule", name: id, suggestion: nil) }
    }

    /// Claims an occurrence in one statement: the insert of its key, or, when the key is there, the
    /// take-over of a claim that has no run and is older than `staleBefore`.
    ///
    /// Schedulers that insert the same key at once wait for the first to commit; each of the others
    /// then sees its claim, with a run or recent, and gets nothing.
    ///
    /// - Throws: `CairnError.notFound(kind:name:suggestion:)` when there is no such schedule.
    public func claimOccurrence(
        scheduleID: String, fireTime: Date, claimant: RunOwner, at date: Date, takingOverClaimsBefore staleBefore: Date
    ) async throws -> Bool {
        do {
            let claimed = try await retryingConflicts {
                try await rawRows(
                    """
                    INSERT INTO schedule_occurrence AS occurrence (schedule_id, fire_time, claimant_host, claimant_process_id, claimed_at)
                    VALUES (\(scheduleID), \(fireTime), \(claimant.host), \(claimant.processID), \(date))
                    ON CONFLICT (schedule_id, fire_time) DO UPDATE SET
                        claimant_host = excluded.claimant_host, claimant_process_id = excluded.claimant_process_id,
                        claimed_at = excluded.claimed_at
                    WHERE occurrence.run_id IS NULL AND occurrence.claimed_at < \(staleBefore)
                    RETURNING 1 AS claimed
                    """)
            }
            return !claimed.isEmpty
        } catch let error as PSQLError where error.sqlState == "23503" {
            throw CairnError.notFound(kind: "schedule", name: scheduleID, suggestion: nil)
        } catch let error as PSQLError {
            throw storeError(error)
        }
    }

    /// Records the run an occurrence started, if `claimant` still holds its claim and no run is recorded.
    @discardableResult
    public func recordOccurrenceRun(scheduleID: String, fireTime: Date, runID: String, claimant: RunOwner) async throws -> Bool {
        let updated = try await rows(
            """
            UPDATE schedule_occurrence SET run_id = \(runID)
            WHERE schedule_id = \(scheduleID) AND fire_time = \(fireTime) AND claimant_host = \(claimant.host)
                AND claimant_process_id = \(claimant.processID) AND run_id IS NULL
            RETURNING 1 AS recorded
            """)
        return !updated.isEmpty
    }

    /// At most `limit` occurrences of a schedule, the latest first.
    public func occurrences(ofSchedule id: String, limit: Int) async throws -> [ScheduleOccurrence] {
        try await rows(
            """
            SELECT schedule_id, fire_time, claimant_host, claimant_process_id, claimed_at, run_id FROM schedule_occurrence
            WHERE schedule_id = \(id) ORDER BY fire_time DESC LIMIT \(limit)
            """
        ).map { row in
            ScheduleOccurrence(
                scheduleID: try row["schedule_id"].decode(String.self), fireTime: try row["fire_time"].decode(Date.self),
                claimant: RunOwner(host: try row["claimant_host"].decode(String.self), processID: try row["claimant_process_id"].decode(Int32.self)),
                claimedAt: try row["claimed_at"].decode(Date.self), runID: try row["run_id"].decode(String?.self))
        }
    }

    // MARK: - Helpers

    /// The columns ``scheduleRecord(_:)`` reads.
    private static let scheduleColumns = """
        id, name, pipeline_name, kind, cron, time_zone, interval_seconds, starts_at, ends_at, catch_up, parameters, configuration,
        is_active, created_at, updated_at
        """

    /// The schedule a row of ``scheduleColumns`` holds.
    private static func scheduleRecord(_ row: PostgresRandomAccessRow) throws -> ScheduleRecord {
        let name = try row["name"].decode(String.self)
        let columns = ScheduleTimingColumns(
            kind: try row["kind"].decode(String.self), cron: try row["cron"].decode(String?.self),
            timeZone: try row["time_zone"].decode(String?.self), intervalSeconds: try row["interval_seconds"].decode(Double?.self),
            startsAt: try row["starts_at"].decode(Date?.self), endsAt: try row["ends_at"].decode(Date?.self),
            catchUp: try row["catch_up"].decode(Bool.self))
        return ScheduleRecord(
            id: try row["id"].decode(String.self), name: name, pipelineName: try row["pipeline_name"].decode(String.self),
            timing: try columns.timing(ofSchedule: name), parameters: try row["parameters"].decode(String.self),
            configuration: try row["configuration"].decode(String?.self), isActive: try row["is_active"].decode(Bool.self),
            createdAt: try row["created_at"].decode(Date.self), updatedAt: try row["updated_at"].decode(Date.self))
    }
}
