import ArgumentParser
import Cairn
import Foundation

/// `cairn artifact prune`: removes stored bytes that no artifact version references.
struct ArtifactPruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune", abstract: "Remove stored artifact objects that no artifact version references.",
        discussion: """
            Such objects are left by deleted runs and by writes that were never recorded. An object an \
            artifact version references is never removed, nor one written after --older-than, which \
            a running step may be about to record.
            """)

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Show what would be removed, and remove nothing.")
    var dryRun = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Only remove objects last written before then: a time ago (30m, 2h, 0s) or a date.", valueName: "time"))
    var olderThan = "1h"

    func validate() throws {
        _ = try PointInTime.parse(olderThan)
    }

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        let cutoff = try PointInTime.parse(olderThan)
        // List the objects before reading the references: a version recorded meanwhile is then seen.
        let objects = try await store.artifacts.objects()
        let referenced = try await store.metadata.referencedDigests()
        var report = PruneReport(dryRun: dryRun)
        for object in objects {
            if referenced.contains(object.digest) {
                report.referencedCount += 1
                continue
            }
            // Asked again as it is removed: a step storing the same bytes marks the object as new.
            let removed = dryRun ? object.writtenAt < cutoff : try await store.artifacts.delete(object.digest, ifWrittenBefore: cutoff)
            if removed {
                report.removed.append(PruneReport.Removed(object, location: store.artifacts.location(of: object.digest)))
                report.removedBytes += object.size
            } else {
                report.recentCount += 1
            }
        }
        // What killed runs left half-written goes too, as a run or a resume removes it.
        if !dryRun { await store.artifacts.removeAbandonedWrites() }
        if options.json {
            try console.json(report)
        } else {
            console.writeOutput(report.render(color: console.usesColor, utc: console.showsUTC, olderThan: olderThan))
        }
    }
}

/// What `cairn artifact prune` did, or would do.
struct PruneReport: Encodable {
    /// An object removed, or that would be.
    struct Removed: Encodable {
        var digest: String
        var size: Int64
        var writtenAt: Date
        /// Where the object was, for people.
        var location: String

        init(_ object: StoredObject, location: String) {
            (digest, size, writtenAt, self.location) = (object.digest, object.size, object.writtenAt, location)
        }
    }

    var dryRun: Bool
    var removed: [Removed] = []
    var removedBytes: Int64 = 0
    /// Objects kept because an artifact version references them.
    var referencedCount = 0
    /// Unreferenced objects kept because they are newer than the cut-off.
    var recentCount = 0

    func render(color: Bool, utc: Bool, olderThan: String) -> String {
        var text = ""
        if !removed.isEmpty {
            var table = Table(titles: ["OBJECT", "SIZE", "WRITTEN"], rightAligned: [1])
            for object in removed {
                table.append([Table.Cell(object.location), Table.Cell(Format.bytes(object.size)), Table.Cell(Format.date(object.writtenAt, utc: utc))])
            }
            text += table.render(color: color) + "\n"
        }
        let count = "\(removed.count) unreferenced object\(removed.count == 1 ? "" : "s") (\(Format.bytes(removedBytes)))"
        text += (dryRun ? "Would remove \(count)" : "Removed \(count)")
        text += "; kept \(referencedCount) referenced"
        if recentCount > 0 { text += " and \(recentCount) written in the last \(olderThan)" }
        text += ".\n"
        if dryRun, !removed.isEmpty { text += "Remove them with: cairn artifact prune\n" }
        return text
    }
}
