public import CairnCore
public import Foundation

/// Keeps runs from looking "running" after the process running them died.
///
/// A running pipeline records a heartbeat every ``heartbeatInterval``. ``markAbandonedRuns(in:now:)``
/// then finds runs whose owner is gone (``isAbandoned(_:host:now:)``): on this host, a process that
/// no longer runs, or whose identifier now names a process that started later; on another host, a
/// heartbeat older than ``staleAfter``. Such runs, and their unfinished step runs, are marked failed with the
/// reason. Every new run does this before it starts, and so does a resume. Commands that only read,
/// such as `cairn runs list` and `cairn runs show`, never mark anything: they ask
/// ``isAbandoned(_:host:now:)`` as they read, and show such a run as abandoned.
public enum RunWatchdog {
    /// How often a running pipeline records its heartbeat.
    public static let heartbeatInterval: Duration = .seconds(10)
    /// How long without a heartbeat before a run counts as abandoned.
    public static let staleAfter: TimeInterval = 60

    /// Records heartbeats for `runID` until the calling task is cancelled.
    static func beat(runID: String, metadata: any MetadataStore) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: heartbeatInterval)
            if Task.isCancelled { return }
            try? await metadata.heartbeat(runID: runID, at: Date())
        }
    }

    /// Marks every run whose process is gone as failed, and returns the runs it marked.
    @discardableResult
    public static func markAbandonedRuns(in metadata: any MetadataStore, now: Date = Date()) async throws -> [RunRecord] {
        let host = ProcessInfo.processInfo.hostName
        var abandoned: [RunRecord] = []
        var offset = 0
        while true {
            let running = try await metadata.runs(RunQuery(status: .running, limit: 500, offset: offset))
            var kept = 0
            for run in running {
                guard isAbandoned(run, host: host, now: now) else {
                    kept += 1
                    continue
                }
                try await metadata.abandonRun(id: run.id, reason: reason(ownerGone: RunOwner(of: run)), at: now)
                abandoned.append(run)
            }
            guard running.count == 500 else { break }
            // Marked runs are no longer running: the next page starts after the runs kept only.
            offset += kept
        }
        return abandoned
    }

    /// Whether the process running `run` is gone, judged at `now` from `host`.
    ///
    /// On the same host the process itself is asked: one that no longer runs (a zombie included) is
    /// gone, and one that runs is the run's, and alive however long it has been silent, when it
    /// started when the run's process did. Where that cannot be told (another host, an older
    /// record), a heartbeat older than ``staleAfter`` means gone.
    public static func isAbandoned(_ run: RunRecord, host: String = ProcessInfo.processInfo.hostName, now: Date = Date()) -> Bool {
        isGone(
            processID: run.processID, on: run.host, startedAt: run.processStart, lastSign: run.heartbeatAt ?? run.startedAt, judgedFrom: host,
            now: now)
    }

    /// Whether the process running the run `summary` lists is gone, judged at `now` from `host`, as
    /// ``isAbandoned(_:host:now:)`` judges a run's record: for listings, which read no whole record.
    public static func isAbandoned(_ summary: RunSummary, host: String = ProcessInfo.processInfo.hostName, now: Date = Date()) -> Bool {
        isGone(
            processID: summary.processID, on: summary.host, startedAt: summary.processStart,
            lastSign: summary.heartbeatAt ?? summary.startedAt, judgedFrom: host, now: now)
    }

    /// Why a run whose process is gone did not finish: the error the watchdog marks it failed with,
    /// and what commands that only read show for it.
    public static func reason(ownerGone owner: RunOwner) -> String {
        "the process running it stopped (\(owner)); resume the run to finish it"
    }

    /// Whether the process `processID` on `processHost`, which started at `processStart` and last
    /// said it was alive at `lastSign`, is gone, judged at `now` from `host`.
    private static func isGone(
        processID: Int32, on processHost: String, startedAt processStart: String?, lastSign: Date, judgedFrom host: String, now: Date
    ) -> Bool {
        let silentFor = now.timeIntervalSince(lastSign)
        guard processHost == host else { return silentFor > staleAfter }
        if processID == ProcessInfo.processInfo.processIdentifier { return false }
        switch ProcessLiveness.of(processID) {
        case .gone:
            return true
        case .running(let start):
            guard let recorded = processStart, let start else { return silentFor > staleAfter }
            // Another start: the identifier was given to another process after the run's ended.
            return start != recorded
        }
    }
}
