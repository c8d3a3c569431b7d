import ArgumentParser
import Cairn

/// `cairn secret list`: names and keys, never values.
struct SecretListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the secrets with their keys; never their values, and no master key is needed.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let console = Console.current
        let secrets = try await CommandStore.open(options).secrets.list()
        if options.json {
            try console.json(secrets)
        } else if secrets.isEmpty {
            console.line("No secrets yet. Create one with: cairn secret create NAME --from-file values.env")
        } else {
            var table = Table(titles: ["SECRET", "KEYS", "VERSION", "UPDATED"], rightAligned: [2])
            for secret in secrets {
                table.append([
                    Table.Cell(secret.name), Table.Cell(secret.keys.joined(separator: ", ")), Table.Cell("\(secret.version)"),
                    Table.Cell(Format.date(secret.updatedAt, utc: console.showsUTC)),
                ])
            }
            console.writeOutput(table.render(color: console.usesColor))
        }
    }
}
