import ArgumentParser
import Cairn

/// `cairn secret update NAME KEY=VALUE… [--remove-key KEY]`.
struct SecretUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Set or remove keys of a secret, as a new version.",
        discussion: "Keys given are set, replacing their values; other keys keep theirs. Two updates at once both apply, one after the other.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The secret's name.")
    var name: String

    @OptionGroup var input: SecretValuesInput

    @Option(name: .customLong("remove-key"), help: ArgumentHelp("A key to remove; may be repeated.", valueName: "key"))
    var removed: [String] = []

    func run() async throws {
        let console = Console.current
        let secrets = try await CommandStore.open(options).secrets
        let values = try input.values(console: console)
        guard !values.isEmpty || !removed.isEmpty else {
            throw CommandError("nothing to update", hint: "Give KEY=VALUE, --from-file, --stdin or --remove-key.")
        }
        try await secrets.update(name, setting: values, removing: removed)
        let summary = try await secrets.summary(of: name)
        if options.json { return try console.json(summary) }
        console.line("Updated secret '\(name)' to version \(summary.version): keys \(summary.keys.joined(separator: ", ")).")
    }
}
