import CairnCore
import Foundation

/// Copies a stack's history into another stack, a run at a time: what ``Stack/copyHistory(to:)`` does.
///
/// Artifact versions that no step run produced go first. Then each run, oldest first, once the
/// runs whose outputs it uses (the step runs its cached step runs reuse, the versions its steps
/// read) are copied: a run is read whole from the source, its objects are copied between the
/// artifact stores, and its records are imported in one transaction, after its objects, so that
/// the destination never holds a record whose bytes it lacks, nor part of a run. A run the
/// destination holds already is left as it is, which makes a second copy copy nothing.
struct HistoryCopier {
    /// How a run fared.
    enum Outcome: Equatable {
        case copied
        case present
        case skipped(String)
    }

    let source: Stack
    let destination: Stack
    /// The destination's metadata store, as an importer.
    let importer: any HistoryImport
    /// What was done so far.
    private(set) var report: HistoryCopyReport

    /// How each run visited fared, by identifier.
    private var outcomes: [String: Outcome] = [:]
    /// The runs being copied, waiting for the runs they depend on.
    private var pending: Set<String> = []
    /// How each object asked for fared, by digest.
    private var objects: [String: ObjectTransfer] = [:]
    /// When the source first recorded each pipeline.
    private var pipelineDates: [String: Date] = [:]

    /// How many runs the source is asked for at once.
    private static let pageSize = 500

    init(source: Stack, destination: Stack, importer: any HistoryImport) {
        self.source = source
        self.destination = destination
        self.importer = importer
        report = HistoryCopyReport(
            source: source.configuration?.name ?? "source", destination: destination.configuration?.name ?? "destination")
    }

    /// Copies everything: the versions no step run produced, then every run.
    mutating func copyAll() async throws {
        pipelineDates = Dictionary(try await source.metadata.pipelines().map { ($0.name, $0.createdAt) }, uniquingKeysWith: { min($0, $1) })
        for artifact in try await source.metadata.artifacts() {
            for version in try await source.metadata.artifactVersions(named: artifact.name) where version.producerStepRunID == nil {
                try await copyVersionWithoutProducer(version)
            }
        }
        for run in try await sourceRunsOldestFirst() {
            _ = try await copyRun(id: run.id, name: run.name)
        }
    }

    // MARK: - Runs

    /// The source's runs, oldest first. Pages are read newest first: a run that starts meanwhile
    /// moves the others to later pages, so that one may be read twice, and none is missed.
    private func sourceRunsOldestFirst() async throws -> [RunSummary] {
        var runs: [RunSummary] = []
        var seen = Set<String>()
        var offset = 0
        while true {
            let page = try await source.metadata.runSummaries(RunQuery(limit: Self.pageSize, offset: offset))
            runs += page.filter { seen.insert($0.id).inserted }
            guard page.count == Self.pageSize else { break }
            offset += page.count
        }
        return runs.reversed()
    }

    /// Copies a run, after the runs it depends on, and says how it fared; each run is visited once.
    private mutating func copyRun(id: String, name: String) async throws -> Outcome {
        if let outcome = outcomes[id] { return outcome }
        // Runs that use each other's outputs (one resumed after reusing the other's) cannot be
        // imported one at a time: each needs the other there first.
        guard pending.insert(id).inserted else {
            return .skipped("it uses outputs of runs that use its own, and a copy imports one run at a time")
        }
        let outcome = try await attempt(id: id, name: name)
        pending.remove(id)
        outcomes[id] = outcome
        switch outcome {
        case .copied: report.copiedRuns.append(name)
        case .present: report.presentRunCount += 1
        case .skipped(let reason): report.skippedRuns.append(HistoryCopyReport.SkippedRun(id: id, name: name, reason: reason))
        }
        return outcome
    }

    /// Copies a run that was not visited yet.
    private mutating func attempt(id: String, name: String) async throws -> Outcome {
        guard let run = try await source.metadata.run(id: id) else {
            return .skipped("it was deleted from stack '\(report.source)' while the copy ran")
        }
        if let copy = try await destination.metadata.run(id: id) {
            guard Self.hasChanged(run, since: copy) else { return .present }
            return .skipped(
                "it changed in stack '\(report.source)' (it was resumed) after it was copied: stack '\(report.destination)' holds it as "
                    + "it was then; to copy it again, delete it there first (cairn runs delete \(run.name) --stack \(report.destination))")
        }
        guard run.status.isFinished else {
            guard run.status == .running, RunWatchdog.isAbandoned(run) else {
                return .skipped("it is still \(run.status.rawValue); copy again once it has ended")
            }
            return .skipped(
                "it is marked running, but its process is gone (process \(run.processID) on \(run.host)); copy again once it is "
                    + "marked failed (cairn runs list --stack \(report.source) does it) or resumed")
        }
        var history = try await source.metadata.history(of: run, pipelineCreatedAt: pipelineDates[run.pipelineName] ?? run.startedAt)
        if let blocker = try await copyDependencies(of: history) { return .skipped(blocker) }
        for digest in history.digests {
            try await transfer(digest)
        }
        history.artifactVersions = history.artifactVersions.map { markedIfUnusable($0) }
        do {
            guard try await importer.importRun(history) else { return .present }
        } catch let conflict as HistoryConflict {
            throw CairnError.store(
                "cannot copy run '\(run.name)' from stack '\(report.source)' to stack '\(report.destination)': \(conflict). "
                    + "Nothing of the run was written there, and the \(report.copiedRuns.count) run(s) copied before it stay. "
                    + Self.advice(for: conflict, in: report.destination))
        }
        report.copiedArtifactVersionCount += history.artifactVersions.count
        return .copied
    }

    /// Copies what the run uses that the destination lacks: the versions saved outside pipelines,
    /// and the runs that produced the others or ran the step runs its cached ones reuse. Returns
    /// why the run cannot be copied when one of those runs was not.
    private mutating func copyDependencies(of history: RunHistory) async throws -> String? {
        let versionIDs = history.externalArtifactVersionIDs
        let stepRunIDs = history.externalStepRunIDs
        let presentVersions = Set(try await destination.metadata.artifactVersions(ids: versionIDs).map(\.id))
        let presentStepRuns = Set(try await destination.metadata.stepRunReferences(ids: stepRunIDs).map(\.stepRunID))
        var producers = stepRunIDs.filter { !presentStepRuns.contains($0) }
        for version in try await source.metadata.artifactVersions(ids: versionIDs.filter { !presentVersions.contains($0) }) {
            if let producer = version.producerStepRunID {
                producers.append(producer)
            } else {
                try await copyVersionWithoutProducer(version)
            }
        }
        var visited = Set([history.run.id])
        for reference in try await source.metadata.stepRunReferences(ids: producers) where visited.insert(reference.runID).inserted {
            if case .skipped(let reason) = try await copyRun(id: reference.runID, name: reference.runName) {
                return "it uses outputs of run '\(reference.runName)', which was not copied: \(reason)"
            }
        }
        return nil
    }

    // MARK: - Artifact versions

    /// Copies an artifact version that no step run produced, with its objects, unless the
    /// destination holds it already.
    private mutating func copyVersionWithoutProducer(_ version: ArtifactVersionRecord) async throws {
        guard try await destination.metadata.artifactVersion(id: version.id) == nil else { return }
        var history = try await source.metadata.history(ofArtifactVersion: version)
        for digest in [version.digest] + history.visualizations.map(\.digest) {
            try await transfer(digest)
        }
        history = markedIfUnusable(history)
        do {
            if try await importer.importArtifactVersion(history) { report.copiedArtifactVersionCount += 1 }
        } catch let conflict as HistoryConflict {
            throw CairnError.store(
                "cannot copy artifact version '\(version.reference)' from stack '\(report.source)' to stack '\(report.destination)': "
                    + "\(conflict). Nothing of it was written there. " + Self.advice(for: conflict, in: report.destination))
        }
    }

    /// `version`, marked unusable if its bytes could not be copied, as a load that found them
    /// missing or changed would have marked it.
    private func markedIfUnusable(_ version: ArtifactVersionHistory) -> ArtifactVersionHistory {
        guard version.record.isUsable, case .unusable(let condition) = objects[version.record.digest], let problem = condition.problem else {
            return version
        }
        var marked = version
        marked.record.unusableReason = "when it was copied from stack '\(report.source)', \(problem)"
        return marked
    }

    /// Copies an object between the artifact stores, once, and counts it.
    private mutating func transfer(_ digest: String) async throws {
        guard objects[digest] == nil else { return }
        let transfer = try await source.artifacts.transfer(digest, to: destination.artifacts)
        objects[digest] = transfer
        switch transfer {
        case .present:
            report.presentObjectCount += 1
        case .copied(let size):
            report.copiedObjectCount += 1
            report.copiedBytes += size
        case .unusable(let condition):
            report.missingObjects.append(HistoryCopyReport.MissingObject(digest: digest, problem: condition.problem ?? "unusable"))
        }
    }

    /// Whether `run` ended otherwise than `copy`, its copy, says: it was resumed since it was copied.
    /// Ends within a millisecond are the same end, as a store may keep dates to the millisecond.
    private static func hasChanged(_ run: RunRecord, since copy: RunRecord) -> Bool {
        guard run.status == copy.status else { return true }
        switch (run.endedAt, copy.endedAt) {
        case (nil, nil): return false
        case (let ended?, let copied?): return abs(ended.timeIntervalSince(copied)) >= 0.001
        default: return true
        }
    }

    /// What to do about a conflict in the destination.
    private static func advice(for conflict: HistoryConflict, in destination: String) -> String {
        switch conflict {
        case .runName(let name):
            "If the other run is not needed, delete it (cairn runs delete \(name) --stack \(destination)), then copy again to finish."
        case .artifactVersion(let name, _):
            "Stack '\(destination)' numbers versions of '\(name)' of its own: copy into a store that has none, such as a new PostgreSQL schema."
        }
    }
}
