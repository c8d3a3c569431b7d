import ArgumentParser
import Cairn

/// `cairn secret create NAME KEY=VALUE…`.
struct SecretCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a secret.",
        discussion: """
            Values given as arguments stay in the shell's history: prefer --from-file or --stdin.

              cairn secret create aws --from-file aws.env
              cairn secret create api_keys --stdin < keys.env
            """)

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The secret's name.")
    var name: String

    @OptionGroup var input: SecretValuesInput

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        let values = try input.values(console: console)
        try await store.secrets.create(name, values: values)
        let summary = try await store.secrets.summary(of: name)
        if options.json { return try console.json(summary) }
        console.line("Created secret '\(name)' with key\(summary.keys.count == 1 ? "" : "s") \(summary.keys.joined(separator: ", ")).")
    }
}
