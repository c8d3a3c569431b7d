import Cairn
import CairnTesting
import Foundation
import Testing

@Suite("cairn artifact", .timeLimit(.minutes(1)))
struct ArtifactCommandTests {
    @Test("artifact list shows each artifact with its latest version")
    func list() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let result = await cairn("artifact", "list", "--store", sample.path)
        #expect(result.status == 0)
        #expect(result.output == """
            ARTIFACT                VERSIONS  LATEST  TYPE              SIZE  CREATED
            training::load::output         2       2  Sample.Table  2.00 KiB  2025-01-02 11:00:00
            training::train::model         1       1  Sample.Table      22 B  2025-01-02 10:00:01

            """)
    }

    @Test("artifact verify rehashes the bytes, names the damaged versions with their makers and readers, and --repair marks them")
    func verify() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let data = try #require(try await sample.metadata.artifactVersion(named: "training::load::output", version: 1))
        #expect(await cairn("artifact", "verify", "--all", "--store", sample.path).output == "Checked 3 artifact versions in 2 files: all intact.\n")
        try ObjectDamage.flipped.apply(to: URL(filePath: sample.temporary.stack.artifacts.location(of: data.digest)))

        let found = await cairn("artifact", "verify", "--run", "training-2", "--store", sample.path)
        #expect(found.status == 1)
        let changed = "its bytes changed on disk: its bytes hash to "
        let reported = try #require(found.output.components(separatedBy: "\n").first { $0.hasPrefix("sha256:") })
        #expect(reported.hasPrefix("sha256:\(data.digest): \(changed)"))
        #expect(found.output.replacingOccurrences(of: reported, with: "HEADING") == """
            Checked 1 artifact version in 1 file: 1 damaged, holding 1 version.

            HEADING
              VERSION                   MADE BY                          READ BY
              training::load::output:2  step 'load' of run 'training-2'  training-2

            Mark them unusable, so that the next run recomputes them: cairn artifact verify --store \(sample.path) --run training-2 --repair

            """)
        #expect(try await sample.metadata.artifactVersion(id: data.id)?.isUsable == true, "only --repair marks")

        let repaired = await cairn("artifact", "verify", "training::load::output", "--repair", "--store", sample.path)
        #expect(repaired.status == 1)
        #expect(repaired.output.contains("training::load::output:1  step 'load' of run 'training-1'  training-1"))
        #expect(repaired.output.contains("Marked unusable: the next run of training runs the steps that made them again"))
        #expect(repaired.output.contains("  swift run <executable> rerun training-1\n  swift run <executable> rerun training-2\n"))
        #expect(try await sample.metadata.artifactVersions(named: "training::load::output").map { $0.unusableReason?.hasPrefix(changed) } == [true, true])
        #expect(await cairn("artifact", "verify", "training::train::model:1", "--store", sample.path).status == 0)
        let shown = await cairn("artifact", "show", "training::load::output:1", "--store", sample.path)
        #expect(shown.output.contains("Unusable     \(changed)"), "\(shown.output)")

        _ = try await sample.temporary.stack.artifacts.store { try $0.write(Data(repeating: 7, count: 2048)) }
        let restored = await cairn("artifact", "verify", "--all", "--repair", "--store", sample.path)
        #expect(restored.status == 0)
        #expect(restored.output == "Checked 3 artifact versions in 2 files: all intact. 2 versions marked usable again.\n")
        #expect(try await sample.metadata.artifactVersion(id: data.id)?.isUsable == true)
        #expect(await cairn("artifact", "verify", "--store", sample.path).status == 64, "something to check is required")
    }

    @Test("artifact versions lists the versions newest first, a page at a time, with the run and step that made each")
    func versions() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let result = await cairn("artifact", "versions", "training::load::output", "--store", sample.path)
        let digest = try #require(try await sample.metadata.artifactVersion(named: "training::load::output", version: 1)).digest
        #expect(result.output == """
            VERSION  CREATED                  SIZE  DIGEST        RUN         STEP
                  2  2025-01-02 11:00:00  2.00 KiB  \(digest.prefix(12))  training-2  load
                  1  2025-01-02 10:00:00  2.00 KiB  \(digest.prefix(12))  training-1  load

            """)
        let first = await cairn("artifact", "versions", "training::load::output", "--limit", "1", "--store", sample.path)
        #expect(first.output == """
            VERSION  CREATED                  SIZE  DIGEST        RUN         STEP
                  2  2025-01-02 11:00:00  2.00 KiB  \(digest.prefix(12))  training-2  load

            Showing versions 1 to 1, newest first. Next: cairn artifact versions training::load::output --store \(sample.path) --limit 1 --page 2

            """)
        let second = await cairn("artifact", "versions", "training::load::output", "--limit", "1", "--page", "2", "--store", sample.path)
        #expect(second.output.contains("      1  2025-01-02 10:00:00") && !second.output.contains("Next:"))
        let unknown = await cairn("artifact", "versions", "training::load::outptu", "--store", sample.path)
        #expect(unknown.error == """
            Error: no artifact named 'training::load::outptu'; did you mean 'training::load::output'?
            Try: cairn artifact versions training::load::output

            """)
    }

    @Test("artifact show prints metadata, producer, consumers and where the bytes are")
    func show() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let version = try #require(try await sample.metadata.artifactVersion(named: "training::load::output", version: 1))
        let result = await cairn("artifact", "show", "training::load::output:1", "--store", sample.path)
        #expect(result.status == 0)
        #expect(result.output == """
            Artifact     training::load::output
            Version      1 of 2
            ID           \(version.id)
            Type         Sample.Table
            Serializer   cairn.json (format 1)
            Size         2.00 KiB (2048 bytes)
            Digest       sha256:\(version.digest)
            Created      2025-01-02 10:00:00
            Stored at    \(sample.path)/artifacts/objects/\(version.digest.prefix(2))/\(version.digest)
            Produced by  run 'training-1', step 'load', output 'output'

            Read by
              RUN         STEP   STATUS
              training-1  train  completed

            """)
        let latest = await cairn("artifact", "show", "training::load::output", "--store", sample.path, "--json")
        let details = try JSONSerialization.jsonObject(with: Data(latest.output.utf8)) as? [String: Any]
        #expect((details?["version"] as? [String: Any])?["version"] as? Int == 2)
        #expect((details?["consumers"] as? [[String: Any]])?.first?["runName"] as? String == "training-2")
        let missingVersion = await cairn("artifact", "show", "training::load::output:7", "--store", sample.path)
        #expect(missingVersion.error == """
            Error: artifact 'training::load::output' has no version 7; its versions are 1 to 2
            List them with: cairn artifact versions training::load::output

            """)
        let typo = await cairn("artifact", "show", "training::train::modle:1", "--store", sample.path)
        #expect(typo.error.hasSuffix("did you mean 'training::train::model'?\nTry: cairn artifact show training::train::model:1\n"))
    }

    @Test("artifact export copies the bytes, checked, to a file or into a folder; a changed file is refused")
    func export() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let folder = sample.temporary.home.appending(path: "exports")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appending(path: "model.json").path
        let toFile = await cairn("artifact", "export", "training::train::model", file, "--store", sample.path)
        #expect(toFile.status == 0, "\(toFile.error)")
        #expect(toFile.output == "Wrote training::train::model:1 (22 B, digest checked) to \(file)\n")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == #"{"weights":[0.5,0.25]}"#)
        let again = await cairn("artifact", "export", "training::train::model", file, "--store", sample.path)
        #expect(again.error.hasPrefix("Error: \(file) exists already\nReplace it with: cairn artifact export"))

        let intoFolder = await cairn("artifact", "export", "training::load::output:1", folder.path, "--store", sample.path)
        #expect(intoFolder.status == 0)
        let exported = folder.appending(path: "training__load__output_v1.json").path
        #expect(FileManager.default.contents(atPath: exported) == Data(repeating: 7, count: 2048))

        let version = try #require(try await sample.metadata.artifactVersion(named: "training::train::model", version: 1))
        let stored = sample.temporary.stack.artifacts.location(of: version.digest)
        try Data(#"{"weights":[9.9,0.25]}"#.utf8).write(to: URL(filePath: stored))
        let corrupt = await cairn("artifact", "export", "training::train::model", folder.appending(path: "bad.json").path, "--store", sample.path)
        #expect(corrupt.status == 1)
        #expect(corrupt.error.contains("has changed on disk"))
        #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "bad.json").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["model.json", "training__load__output_v1.json"])
    }

    @Test("artifact prune removes only objects no version references, and only old enough ones")
    func prune() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let artifacts = sample.temporary.stack.artifacts
        let orphan = try await artifacts.store { try $0.write(Data("nobody records me".utf8)) }
        let orphanPath = artifacts.location(of: orphan.digest)
        let recent = await cairn("artifact", "prune", "--store", sample.path)
        #expect(recent.output == "Removed 0 unreferenced objects (0 B); kept 2 referenced and 1 written in the last 1h.\n")

        let dryRun = await cairn("artifact", "prune", "--dry-run", "--older-than", "0s", "--store", sample.path)
        #expect(dryRun.output.hasPrefix("OBJECT"))
        #expect(dryRun.output.contains("\(orphanPath)  17 B"))
        #expect(dryRun.output.hasSuffix("""
            Would remove 1 unreferenced object (17 B); kept 2 referenced.
            Remove them with: cairn artifact prune

            """))
        #expect(FileManager.default.fileExists(atPath: orphanPath))

        let deleted = await cairn("runs", "delete", "training-1", "--yes", "--store", sample.path)
        #expect(deleted.status == 0)
        let pruned = await cairn("artifact", "prune", "--older-than", "0s", "--store", sample.path)
        #expect(pruned.output.hasSuffix("Removed 2 unreferenced objects (39 B); kept 1 referenced.\n"))
        #expect(!FileManager.default.fileExists(atPath: orphanPath))
        // The data training-2 still references stays.
        let remaining = try #require(try await sample.metadata.artifactVersion(named: "training::load::output", version: nil))
        #expect(try await artifacts.contains(remaining.digest))
        let export = await cairn("artifact", "export", "training::load::output", sample.temporary.home.appending(path: "out.bin").path, "--store", sample.path)
        #expect(export.status == 0)
    }
}

@Suite("Artifact files and prune", .timeLimit(.minutes(1)))
struct ArtifactFileTests {
    @Test("storing bytes that are stored already marks the file as new, so prune spares it")
    func dedupTouchesFile() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let artifacts = sample.temporary.stack.artifacts
        let blob = try await artifacts.store { try $0.write(Data("shared bytes".utf8)) }
        let path = artifacts.location(of: blob.digest)
        let old = Date(timeIntervalSinceNow: -86400)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path)
        _ = try await artifacts.store { try $0.write(Data("shared bytes".utf8)) }
        let modified = try #require(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
        #expect(modified > Date(timeIntervalSinceNow: -60))
        let pruned = await cairn("artifact", "prune", "--older-than", "1h", "--store", sample.path)
        #expect(pruned.output.contains("1 written in the last 1h"))
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
