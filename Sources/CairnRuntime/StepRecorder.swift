import CairnCore
import Foundation

/// Records the steps of a run that ended before they could be recorded as running, several in one
/// transaction: a group commit.
///
/// A step in this process hands its outputs on before it records them (see ``StepRecording``), so in
/// a chain of quick steps each step ends while the one before it is still being recorded. If each
/// waited for that record and then wrote its own, the store would write one transaction per step,
/// one after the other, each touching the same tables and indexes. Instead, a step queues its record
/// here as soon as the steps it depends on have queued theirs. Whatever is queued when the store
/// is free is written in one transaction, in the order it was queued, so that a record always
/// follows those it links to. The busier the store, the more records each transaction carries.
final class StepRecorder: Sendable {
    private struct Entry: Sendable {
        let stepRun: WholeStepRun
        let recording: StepRecording
        let upstream: [StepRecording]
        let written: CheckedContinuation<Result<[ArtifactVersionRecord], any Error>, Never>
    }

    private struct Queue {
        var entries: [Entry] = []
        var isWriting = false
    }

    private let metadata: any MetadataStore
    private let queue = Locked(Queue())

    /// Makes a recorder that writes to `metadata`.
    init(metadata: any MetadataStore) {
        self.metadata = metadata
    }

    /// Records `whole` after the steps in `upstream` that handed their outputs on early, and returns
    /// its new output versions.
    ///
    /// `recording` is the step's own; it is ended when the record is written or refused. The record
    /// keeps the times the step ran: it is queued once the steps it depends on have queued theirs,
    /// and written with them, often in the same transaction.
    func record(_ whole: WholeStepRun, as recording: StepRecording, after upstream: [String: UpstreamStep]) async throws -> [ArtifactVersionRecord] {
        let producers = upstream.values.compactMap(\.recording)
        for producer in producers { await producer.queuedOrEnded() }
        let result = await withCheckedContinuation { written in
            let startsWriting = queue.withLock { queue in
                queue.entries.append(Entry(stepRun: whole, recording: recording, upstream: producers, written: written))
                defer { queue.isWriting = true }
                return !queue.isWriting
            }
            // Only now may its dependents queue theirs, behind it.
            recording.queue()
            if startsWriting { Task { await writeQueued() } }
        }
        return try result.get()
    }

    /// Writes what is queued, batch after batch, until nothing is.
    private func writeQueued() async {
        while let entries = queue.withLock({ queue -> [Entry]? in
            guard !queue.entries.isEmpty else {
                queue.isWriting = false
                return nil
            }
            defer { queue.entries = [] }
            return queue.entries
        }) {
            await write(entries)
        }
    }

    /// Writes `entries` in one transaction, but for those whose producers were not recorded; if that
    /// fails, writes them one at a time, so that one that cannot be recorded does not fail the others.
    private func write(_ entries: [Entry]) async {
        var batch: [Entry] = []
        for entry in entries {
            // A producer queued earlier is either written (ended) or in this batch (not yet ended).
            if entry.upstream.contains(where: { $0.hasBeenRecorded == false }) {
                refuse(entry, CairnError.store("a step that '\(entry.stepRun.stepRun.invocation)' depends on was not recorded"))
            } else {
                batch.append(entry)
            }
        }
        guard !batch.isEmpty else { return }
        do {
            // Each step run is two writes, its start then its end, whose new versions are the second's.
            let written = try await metadata.writeStepRuns(batch.flatMap(\.stepRun.writes))
            for (entry, versions) in zip(batch, stride(from: 1, to: written.count, by: 2).map { written[$0] }) {
                entry.recording.end(recorded: true)
                entry.written.resume(returning: .success(versions))
            }
        } catch {
            guard batch.count > 1 else { return refuse(batch[0], error) }
            for entry in batch { await write([entry]) }
        }
    }

    private func refuse(_ entry: Entry, _ error: any Error) {
        entry.recording.end(recorded: false)
        entry.written.resume(returning: .failure(error))
    }
}
