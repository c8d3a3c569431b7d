public import CairnCore
public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps runs from looking "running" after the process running them died.
///
/// A running pipeline records a heartbeat every ``heartbeatInterval``. ``markAbandonedRuns(in:now:)``
/// then finds runs whose owner is gone: on this host, a process that no longer exists (or one that
/// exists but stopped beating, because its identifier was reused); on another host, a heartbeat
/// older than ``staleAfter``. Such runs, and their unfinished step runs, are marked failed with the
/// reason. Every new run does this before it starts, and so do `cairn runs list` and
/// `cairn runs show`, so that nobody sees a dead run as running.
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
                let reason = "the process running it stopped (process \(run.processID) on \(run.host)); resume the run to finish it"
                try await metadata.abandonRun(id: run.id, reason: reason, at: now)
                abandoned.append(run)
            }
            guard running.count == 500 else { break }
            // Marked runs are no longer running: the next page starts after the runs kept only.
            offset += kept
        }
        return abandoned
    }

    private static func isAbandoned(_ run: RunRecord, host: String, now: Date) -> Bool {
        let silentFor = now.timeIntervalSince(run.heartbeatAt ?? run.startedAt)
        guard run.host == host else { return silentFor > staleAfter }
        if run.processID == ProcessInfo.processInfo.processIdentifier { return false }
        let exists = (kill(run.processID, 0) == 0 || errno == EPERM) && !isZombie(run.processID)
        return !exists || silentFor > staleAfter
    }

    /// Whether `processID` names a process that ended and is waiting to be reaped: it runs nothing.
    private static func isZombie(_ processID: Int32) -> Bool {
        #if os(Linux)
            // The state follows the command's closing parenthesis in /proc/PID/stat.
            guard let stat = try? String(contentsOfFile: "/proc/\(processID)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
            return state == "Z" || state == "X"
        #else
            return false
        #endif
    }
}
