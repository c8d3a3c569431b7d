import Cairn

/// What `cairn artifact verify` found: how much it checked, and each damaged file with the versions
/// stored in it, the step runs that made them and the runs that read them.
struct VerifyReport: Encodable {
    /// A file whose bytes are missing or changed, and the versions stored in it.
    struct Damage: Encodable {
        var digest: String
        var problem: String
        var versions: [DamagedVersion]
    }

    /// A version whose bytes are damaged, with its maker and readers.
    struct DamagedVersion: Encodable {
        /// `name:version`.
        var artifact: String
        var id: String
        var producer: StepRunReference?
        var readBy: [StepRunReference]
    }

    var checkedVersions: Int
    var checkedFiles = 0
    var damaged: [Damage] = []
    /// Whether the damaged versions were marked unusable (`--repair`).
    var isRepaired = false
    /// How many versions marked unusable before were found intact and marked usable again.
    var markedUsable = 0

    /// The report for people; `repairCommand` is the command line that repairs what it reports.
    func render(color: Bool, repairCommand: String) -> String {
        let versionCount = damaged.map(\.versions.count).reduce(0, +)
        var text = "Checked \(Format.count(checkedVersions)) artifact version\(checkedVersions == 1 ? "" : "s") "
            + "in \(Format.count(checkedFiles)) file\(checkedFiles == 1 ? "" : "s"): "
        guard !damaged.isEmpty else {
            text += "all intact."
            if markedUsable > 0 { text += " \(markedUsable) version\(markedUsable == 1 ? "" : "s") marked usable again." }
            return text + "\n"
        }
        text += "\(damaged.count) damaged, holding \(versionCount) version\(versionCount == 1 ? "" : "s").\n"
        for damage in damaged {
            let heading = "sha256:\(damage.digest): \(damage.problem)"
            text += "\n" + (color ? TextStyle.red.apply(to: heading) : heading) + "\n"
            var table = Table(titles: ["VERSION", "MADE BY", "READ BY"])
            for version in damage.versions {
                let maker = version.producer.map { "step '\($0.invocation)' of run '\($0.runName)'" } ?? "-"
                let readers = Set(version.readBy.map(\.runName)).sorted()
                let readBy = readers.isEmpty ? "-" : readers.joined(separator: ", ")
                table.append([Table.Cell(version.artifact), Table.Cell(maker), Table.Cell(readBy)])
            }
            text += table.render(color: color, indent: "  ")
        }
        let pipelines = Set(damaged.flatMap(\.versions).compactMap(\.producer?.pipelineName)).sorted()
        let runs = Set(damaged.flatMap(\.versions).compactMap(\.producer?.runName)).sorted()
        text += "\n"
        if isRepaired {
            text += "Marked unusable: the next run of \(pipelines.isEmpty ? "their pipelines" : pipelines.joined(separator: ", ")) "
                + "runs the steps that made them again instead of reusing them from the cache, and so does a resume.\n"
            if !runs.isEmpty {
                text += "Run them again with your pipeline executable, which repairs the bytes (cairn cannot run pipeline code):\n"
                text += runs.map { "  swift run <executable> rerun \($0)\n" }.joined()
            }
        } else {
            text += "Mark them unusable, so that the next run recomputes them: \(repairCommand)\n"
        }
        return text
    }
}
