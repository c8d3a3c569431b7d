import ArgumentParser
import Cairn

/// `cairn secret get NAME [--reveal]`.
struct SecretGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Show a secret's keys; its values only with --reveal.",
        discussion: "Without --reveal, values are shown as ****, but are still decrypted: a wrong or missing master key is an error.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The secret's name.")
    var name: String

    @Flag(help: "Show the values.")
    var reveal = false

    /// What `--json` prints.
    private struct Shown: Encodable {
        var secret: SecretSummary
        var values: [String: String]
    }

    func run() async throws {
        let console = Console.current
        let secrets = try await CommandStore.open(options).secrets
        let summary = try await secrets.summary(of: name)
        let values = try await secrets.values(of: name).mapValues { reveal ? $0 : SecretRedaction.mask }
        if options.json { return try console.json(Shown(secret: summary, values: values)) }
        console.line("Secret '\(name)', version \(summary.version), master key '\(summary.masterKeyID)':")
        var table = Table(titles: ["KEY", "VALUE"])
        for key in values.keys.sorted() { table.append([Table.Cell(key), Table.Cell(values[key]!)]) }
        console.writeOutput(table.render(color: console.usesColor))
    }
}
