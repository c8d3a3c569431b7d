import ArgumentParser
import Cairn
import CairnInspection

/// `cairn artifact verify [--all | NAME[:VERSION] | --run RUN] [--repair]`: rehashes stored bytes
/// and reports the versions, steps and runs whose bytes are missing or changed.
///
/// `cairn` cannot run pipelines, whose code lives in their own executables, so `--repair` does what
/// can be done from the store: it marks the damaged versions unusable, so that the next run of their
/// pipelines runs the steps that made them again instead of reusing them from the cache (and a
/// resume does the same), marks versions found intact again usable, and prints the commands to type.
/// The exit status is 1 when anything is damaged, whether or not it was marked.
struct ArtifactVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Rehash artifact bytes and report the versions and runs whose bytes are missing or changed.",
        discussion: """
            NAME checks every version of an artifact, NAME:VERSION one of them, --run the outputs of a run's steps, and \
            --all every version in the store. Exits 1 when something is damaged. --repair marks damaged versions \
            unusable, so that the next run or resume of their pipelines computes them again; cairn cannot run pipeline \
            code itself, so it prints the commands to type.
            """)

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("The artifact: NAME (every version), NAME:VERSION, or a version's identifier.", valueName: "artifact"))
    var artifact: String?

    @Flag(help: "Check every artifact version in the store.")
    var all = false

    @Option(help: ArgumentHelp("Check the outputs of this run's steps.", valueName: "run"))
    var run: String?

    @Flag(help: "Mark damaged versions unusable, so that the next run recomputes them, and intact ones usable again.")
    var repair = false

    func validate() throws {
        guard [artifact != nil, all, run != nil].filter({ $0 }).count == 1 else {
            throw ValidationError("Name what to check: an artifact, --run RUN, or --all.")
        }
    }

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        let versions = try await selectedVersions(in: store)
        let artifacts = store.artifacts
        var report = VerifyReport(checkedVersions: versions.count)
        let byDigest = Dictionary(grouping: versions, by: \.digest)
        for digest in byDigest.keys.sorted() {
            let group = byDigest[digest] ?? []
            report.checkedFiles += 1
            let condition = try await artifacts.check(digest)
            if repair, condition == .intact, group.contains(where: { !$0.isUsable }) {
                try await store.metadata.markArtifacts(digest: digest, unusableBecause: nil)
                report.markedUsable += group.count
            }
            guard let problem = condition.problem else { continue }
            if repair { try await store.metadata.markArtifacts(digest: digest, unusableBecause: problem) }
            report.damaged.append(VerifyReport.Damage(
                digest: digest, problem: problem,
                versions: try await damagedVersions(group.sorted { ($0.name, $0.version) < ($1.name, $1.version) }, in: store)))
        }
        report.isRepaired = repair
        if options.json {
            try console.json(report)
        } else {
            console.writeOutput(report.render(color: console.usesColor, repairCommand: repairCommand))
        }
        if !report.damaged.isEmpty { throw ExitCode.failure }
    }

    /// This command line with `--repair`.
    private var repairCommand: String {
        var words = ["cairn", "artifact", "verify"]
        if let store = options.store { words += ["--store", store] }
        if let artifact { words.append(artifact) }
        if let run { words += ["--run", run] }
        if all { words.append("--all") }
        return (words + ["--repair"]).joined(separator: " ")
    }

    /// The versions the command line names.
    private func selectedVersions(in store: CommandStore) async throws -> [ArtifactVersionRecord] {
        if let run {
            let found = try await store.run(run) { "cairn artifact verify --run \($0)" }
            let links = try await store.metadata.stepRunOutputs(runID: found.id).values.flatMap { $0 }
            return Dictionary(links.map { ($0.artifact.id, $0.artifact) }, uniquingKeysWith: { first, _ in first }).values.map { $0 }
        }
        if let artifact {
            let parsed = ArtifactReference(parsing: artifact)
            let named = parsed.version == nil ? try await store.metadata.artifactVersions(named: parsed.name) : []
            if !named.isEmpty { return named }
            return [try await store.artifactVersion(artifact) { "cairn artifact verify \($0)" }]
        }
        var versions: [ArtifactVersionRecord] = []
        for summary in try await store.metadata.artifacts() {
            versions += try await store.metadata.artifactVersions(named: summary.name)
        }
        return versions
    }

    /// The damaged versions with the step runs that made them and the runs that read them.
    private func damagedVersions(_ versions: [ArtifactVersionRecord], in store: CommandStore) async throws -> [VerifyReport.DamagedVersion] {
        let producers = try await store.metadata.stepRunReferences(ids: versions.compactMap(\.producerStepRunID))
        let producerByID = Dictionary(producers.map { ($0.stepRunID, $0) }, uniquingKeysWith: { first, _ in first })
        var damaged: [VerifyReport.DamagedVersion] = []
        for version in versions {
            let readers = try await store.metadata.consumers(ofArtifactVersion: version.id)
            damaged.append(VerifyReport.DamagedVersion(
                artifact: version.reference, id: version.id, producer: version.producerStepRunID.flatMap { producerByID[$0] },
                readBy: readers))
        }
        return damaged
    }
}
