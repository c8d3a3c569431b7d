public import Foundation

/// Schedules and their occurrences, kept in the stack's metadata store so that every scheduler on
/// the stack sees the same ones, and each occurrence starts one run however many schedulers watch.
public protocol ScheduleStore: Sendable {
    /// Records a new schedule.
    ///
    /// - Throws: ``CairnError/nameTaken(kind:name:)`` when another schedule has its name; then nothing is written.
    func createSchedule(_ schedule: ScheduleRecord) async throws

    /// The schedule with this name.
    func schedule(named name: String) async throws -> ScheduleRecord?

    /// Every schedule, by name.
    func schedules() async throws -> [ScheduleRecord]

    /// Replaces a schedule's timing, parameters, configuration and activity, by identifier.
    ///
    /// - Throws: ``CairnError/notFound(kind:name:suggestion:)`` when there is no such schedule.
    func updateSchedule(_ schedule: ScheduleRecord) async throws

    /// Deletes a schedule and its occurrences; the runs it started stay.
    ///
    /// - Throws: ``CairnError/notFound(kind:name:suggestion:)`` when there is no such schedule.
    func deleteSchedule(id: String) async throws

    /// Claims the occurrence of `scheduleID` due at `fireTime` for `claimant`, in one transaction
    /// under a unique key: of all the schedulers that try, one gets it.
    ///
    /// A claim whose run was never recorded, made before `staleBefore`, was left by a scheduler that
    /// died before it started the run: it is taken over, so that no dead scheduler blocks an occurrence.
    ///
    /// - Returns: Whether `claimant` holds the claim now.
    func claimOccurrence(scheduleID: String, fireTime: Date, claimant: RunOwner, at date: Date, takingOverClaimsBefore staleBefore: Date) async throws -> Bool

    /// Records the run that an occurrence, claimed by `claimant`, started.
    ///
    /// - Returns: Whether it was recorded: `false` when `claimant` no longer holds the claim (another
    ///   scheduler took it over) or a run is recorded already.
    @discardableResult
    func recordOccurrenceRun(scheduleID: String, fireTime: Date, runID: String, claimant: RunOwner) async throws -> Bool

    /// At most `limit` occurrences of a schedule, the latest first.
    func occurrences(ofSchedule id: String, limit: Int) async throws -> [ScheduleOccurrence]
}
