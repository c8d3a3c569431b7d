import ArgumentParser
import Cairn

/// `cairn secret delete NAME`.
struct SecretDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a secret.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The secret's name.")
    var name: String

    @Flag(name: [.customShort("y"), .long], help: "Delete without asking.")
    var yes = false

    func run() async throws {
        let console = Console.current
        let secrets = try await CommandStore.open(options).secrets
        _ = try await secrets.summary(of: name)
        if !yes {
            guard console.isInteractive else {
                throw CommandError("deleting secret '\(name)' needs a confirmation", hint: "Add --yes: cairn secret delete \(name) --yes")
            }
            guard console.confirm("Delete secret '\(name)'?") else { return console.line("Nothing deleted.") }
        }
        try await secrets.delete(name)
        console.line("Deleted secret '\(name)'.")
    }
}
