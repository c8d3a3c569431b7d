import ArgumentParser
import Cairn
import Foundation

/// `cairn init`: creates a store.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a store: .cairn in the current folder, or the folder --store or $CAIRN_HOME names.",
        discussion: "Runs started in this folder or below it are then recorded there. A store that exists already is left as it is.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let console = Console.current
        let home: URL =
            if options.store != nil || ProcessInfo.processInfo.environment["CAIRN_HOME"] != nil {
                try CairnHome.resolve(explicit: options.store)
            } else {
                URL(filePath: FileManager.default.currentDirectoryPath).appending(path: ".cairn")
            }
        try LocalStoreFiles.refuseUnusable(home)
        let path = LocalStoreFiles.metadataPath(in: home)
        let existed = FileManager.default.fileExists(atPath: path)
        do {
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        } catch {
            throw CommandError("cannot create the folder \(home.path): \(error.localizedDescription)")
        }
        let metadata = try SQLiteMetadataStore(path: path)
        _ = try LocalArtifactStore(root: LocalStoreFiles.artifactsFolder(in: home))
        let schema = try await metadata.schemaVersion()
        if options.json {
            try console.json(InitReport(path: home.path, created: !existed, schemaVersion: schema))
        } else if existed {
            console.line("A Cairn store already exists in \(home.path) (schema \(schema)).")
        } else {
            console.line("Created a Cairn store in \(home.path) (schema \(schema)).")
            console.line("Runs started in \(home.deletingLastPathComponent().path) or below are recorded there; see them with: cairn runs list")
        }
    }
}

/// What `cairn init --json` prints.
struct InitReport: Encodable {
    var path: String
    var created: Bool
    var schemaVersion: String
}
