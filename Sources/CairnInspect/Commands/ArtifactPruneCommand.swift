import ArgumentParser
import Cairn
import Foundation

/// `cairn artifact prune`: removes stored bytes that no artifact version references.
struct ArtifactPruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune", abstract: "Remove artifact files that no artifact version references.",
        discussion: """
            Such files are left by deleted runs and by writes that were never recorded. A file an \
            artifact version references is never removed, nor one modified after --older-than, which \
            a running step may be about to record.
            """)

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Show what would be removed, and remove nothing.")
    var dryRun = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Only remove files last modified before then: a time ago (30m, 2h, 0s) or a date.", valueName: "time"))
    var olderThan = "1h"

    func validate() throws {
        _ = try PointInTime.parse(olderThan)
    }

    func run() async throws {
        let console = Console.current
        let store = try LocalStore.open(options)
        let cutoff = try PointInTime.parse(olderThan)
        let folder = LocalStoreFiles.artifactsFolder(in: store.home)
        // List the files before reading the references: a version recorded meanwhile is then seen.
        let files = ArtifactFiles.list(in: folder)
        let referenced = try await store.metadata.referencedDigests()
        var report = PruneReport(dryRun: dryRun)
        for file in files {
            if let digest = file.digest, referenced.contains(digest) {
                report.referencedCount += 1
            } else if file.modifiedAt >= cutoff || ArtifactFiles.modificationDate(file.path).map({ $0 >= cutoff }) == true {
                // Checked again just before removing: a step storing the same bytes marks the file as new.
                report.recentCount += 1
            } else {
                if !dryRun {
                    do {
                        try FileManager.default.removeItem(atPath: file.path)
                    } catch {
                        throw CommandError("cannot remove \(file.path): \(error.localizedDescription)")
                    }
                }
                report.removed.append(file)
                report.removedBytes += file.size
            }
        }
        if options.json {
            try console.json(report)
        } else {
            console.writeOutput(report.render(color: console.usesColor, utc: console.showsUTC, root: folder.path, olderThan: olderThan))
        }
    }
}

/// What `cairn artifact prune` did, or would do.
struct PruneReport: Encodable {
    var dryRun: Bool
    var removed: [ArtifactFiles.File] = []
    var removedBytes: Int64 = 0
    /// Files kept because an artifact version references them.
    var referencedCount = 0
    /// Unreferenced files kept because they are newer than the cut-off.
    var recentCount = 0

    func render(color: Bool, utc: Bool, root: String, olderThan: String) -> String {
        var text = ""
        if !removed.isEmpty {
            var table = Table(titles: ["FILE", "SIZE", "MODIFIED"], rightAligned: [1])
            for file in removed {
                let relative = file.path.hasPrefix(root + "/") ? String(file.path.dropFirst(root.count + 1)) : file.path
                table.append([Table.Cell(relative), Table.Cell(Format.bytes(file.size)), Table.Cell(Format.date(file.modifiedAt, utc: utc))])
            }
            text += table.render(color: color) + "\n"
        }
        let count = "\(removed.count) unreferenced file\(removed.count == 1 ? "" : "s") (\(Format.bytes(removedBytes)))"
        text += (dryRun ? "Would remove \(count)" : "Removed \(count)")
        text += "; kept \(referencedCount) referenced"
        if recentCount > 0 { text += " and \(recentCount) modified in the last \(olderThan)" }
        text += ".\n"
        if dryRun, !removed.isEmpty { text += "Remove them with: cairn artifact prune\n" }
        return text
    }
}
