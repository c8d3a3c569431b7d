import ArgumentParser

/// `cairn artifact …`.
struct ArtifactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "artifact", abstract: "List, show, export, verify and prune artifacts.",
        discussion: "An artifact is named {pipeline}::{step}::{output}; name one version as NAME:VERSION (NAME alone is the latest).",
        subcommands: [
            ArtifactListCommand.self, ArtifactVersionsCommand.self, ArtifactShowCommand.self, ArtifactExportCommand.self,
            ArtifactVerifyCommand.self, ArtifactPruneCommand.self,
        ])
}
