import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import GRDB
import Testing

@Suite("Mistaken stores and arguments", .timeLimit(.minutes(1)))
struct StoreMistakeTests {
    @Test("an emptied metadata file beside stored objects is refused by every command and by a run, and stays empty")
    func emptiedMetadata() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        try await FixturePipelines.diamond.run(on: store.stack)
        let metadata = store.home.appending(path: "metadata.sqlite").path
        let truncated = try #require(FileHandle(forWritingAtPath: metadata))
        try truncated.truncate(atOffset: 0)
        try truncated.close()

        let listed = await cairn("runs", "list", "--store", store.home.path)
        #expect(listed.status == 1)
        #expect(listed.error.hasPrefix(
            "Error: the records of \(store.home.path)/artifacts are lost: the metadata file \(metadata) is empty, while the artifact folder holds "),
            "\(listed.error)")
        #expect(listed.error.contains("Restore the metadata file (with its -wal and -shm files) from a backup"))
        #expect(await cairn("init", "--store", store.home.path).error == listed.error)
        #expect(throws: CairnError.self) { try Stack.local(at: store.home) }
        let size = try FileManager.default.attributesOfItem(atPath: metadata)[.size] as? NSNumber
        #expect(size?.intValue == 0, "nothing wrote a schema into the emptied file")
    }

    @Test("a command that reads never migrates: a store of an older schema is named, and left as it is")
    func olderSchemaIsNotMigrated() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let path = store.home.appending(path: "metadata.sqlite").path
        // Back to the schema before `v7-step-queued-at`.
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "ALTER TABLE stepRun DROP COLUMN queuedAt")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v7-step-queued-at'")
        }
        let listed = await cairn("runs", "list", "--store", store.home.path)
        #expect(listed.status == 1)
        #expect(listed.error.contains("has an older schema (it lacks v7-step-queued-at); upgrade it with `cairn init --store \(store.home.path)`"),
            "\(listed.error)")
        let applied = try await DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(!applied.contains("v7-step-queued-at"))
        #expect(await cairn("init", "--store", store.home.path).status == 0)
        #expect(await cairn("runs", "list", "--store", store.home.path).status == 0)
    }

    @Test("an empty --store or $CAIRN_HOME is named, not replaced by the nearest store")
    func emptyStoreNames() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-empty-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(await cairn("init", "--store", folder.appending(path: ".cairn").path).status == 0)
        let option = try await CairnExecutable.run(["runs", "list", "--store", ""], in: folder)
        #expect(option.status == 1)
        #expect(option.error.hasPrefix("Error: the store folder given with --store is empty; give the store's folder"), "\(option.error)")
        let environment = try await CairnExecutable.run(["runs", "list"], in: folder, environment: ["CAIRN_HOME": ""])
        #expect(environment.status == 1)
        #expect(environment.error.hasPrefix("Error: $CAIRN_HOME is set but empty"), "\(environment.error)")
    }

    @Test("a store path that is a file is named as one")
    func storeIsAFile() async throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "cairn-file-\(UUID().uuidString)")
        try Data("not a store".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let listed = await cairn("runs", "list", "--store", file.path)
        #expect(listed.status == 1)
        #expect(listed.error == "Error: \(file.path) is a file, not a store folder; give a folder (a new one is created) or an existing store\n")
    }

    @Test("a version below 1 is a missing version, not a missing artifact", arguments: ["0", "-1"])
    func versionBelowOne(version: String) async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let shown = await cairn("artifact", "show", "training::load::output:\(version)", "--store", sample.path)
        #expect(shown.status == 1)
        #expect(shown.error.hasPrefix("Error: artifact 'training::load::output' has no version \(version); its versions are 1 to 2"), "\(shown.error)")
    }

    @Test("negative values are refused with the reason, not taken for options")
    func negativeValues() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let since = await cairn("runs", "list", "--since", "-5d", "--store", sample.path)
        #expect(since.status == 64)
        #expect(since.error.hasPrefix("Error: '-5d' is not a time: a time ago counts back from now and cannot be negative; give 5d."), "\(since.error)")
        let limit = await cairn("runs", "list", "--limit", "-1", "--store", sample.path)
        #expect(limit.status == 64)
        #expect(limit.error.hasPrefix("Error: --limit must be at least 1."), "\(limit.error)")
    }
}
