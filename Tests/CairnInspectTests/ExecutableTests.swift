import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

@Suite("The cairn executable as a separate process", .timeLimit(.minutes(1)))
struct ExecutableTests {
    @Test("init, then runs list and status find the store as the nearest .cairn folder upward")
    func nearestStore() async throws {
        let project = FileManager.default.temporaryDirectory.appending(path: "cairn-project-\(UUID().uuidString)")
        let nested = project.appending(path: "src/deep")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: project) }
        let created = try await CairnExecutable.run(["init"], in: project)
        #expect(created.status == 0, "\(created.error)")
        let home = project.appending(path: ".cairn").standardizedFileURL.path
        #expect(created.output.hasPrefix("Created a Cairn store in "))
        let listed = try await CairnExecutable.run(["runs", "list"], in: nested)
        #expect(listed.status == 0, "\(listed.error)")
        #expect(listed.output == "No runs yet.\n")
        let status = try await CairnExecutable.run(["status", "--json"], in: nested)
        let report = try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any]
        let metadata = (report?["metadataStore"] as? String)?.dropFirst("sqlite ".count)
        #expect(metadata.map { URL(filePath: String($0)).resolvingSymlinksInPath().path } == URL(filePath: home + "/metadata.sqlite").resolvingSymlinksInPath().path)
    }

    @Test("$CAIRN_HOME names the store; output to a pipe has no colour; errors go to standard error with status 1")
    func environmentAndErrors() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let result = try await FixturePipelines.diamond.run(on: store.stack)
        let shown = try await CairnExecutable.run(["runs", "show", result.run.name], environment: ["CAIRN_HOME": store.home.path])
        #expect(shown.status == 0, "\(shown.error)")
        #expect(shown.output.hasPrefix("Run       \(result.run.name)\n"))
        #expect(shown.output.contains("  summarise    completed"))
        #expect(!shown.output.contains("\u{1B}["))
        let listed = try await CairnExecutable.run(["runs", "list", "--store", store.home.path, "--json"])
        let runs = try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]]
        #expect(runs?.first?["name"] as? String == result.run.name)
        let wrong = try await CairnExecutable.run(["runs", "show", "nope", "--store", store.home.path])
        #expect(wrong.status == 1)
        #expect(wrong.output.isEmpty)
        #expect(wrong.error == "Error: no run named 'nope'\nList the runs with: cairn runs list\n")
        let usage = try await CairnExecutable.run(["runs", "list", "--limit", "0", "--store", store.home.path])
        #expect(usage.status == 64)
    }
}
