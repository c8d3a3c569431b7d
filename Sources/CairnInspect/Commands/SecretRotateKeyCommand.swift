import ArgumentParser
import Cairn
import Foundation

/// `cairn secret rotate-key`: a new master key wraps every secret's data key.
struct SecretRotateKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-key", abstract: "Re-wrap every secret's data key with a new master key.",
        discussion: """
            With a key file, a new key is made and written to it, and the old one is dropped once every \
            secret is re-wrapped. With $CAIRN_SECRETS_KEY, which Cairn cannot change, put the new key \
            (ID:BASE64) in another variable, name it with --new-key-env, then replace $CAIRN_SECRETS_KEY with it.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: ArgumentHelp("The environment variable holding the new key, as ID:BASE64.", valueName: "variable"))
    var newKeyEnv: String?

    func run() async throws {
        let console = Console.current
        let secrets = try await CommandStore.open(options).secrets
        var newKey: MasterKey?
        if let variable = newKeyEnv {
            guard let text = ProcessInfo.processInfo.environment[variable], !text.isEmpty else { throw CommandError("$\(variable) is not set") }
            newKey = try MasterKey(parsing: text, source: "$\(variable)")
        }
        let rotation = try await secrets.rotateKey(to: newKey)
        if options.json { return try console.json(rotation) }
        console.line(
            "Re-wrapped \(rotation.rewrapped) secret\(rotation.rewrapped == 1 ? "" : "s") with master key '\(rotation.keyID)' "
                + "(was \(rotation.previousKeyIDs.joined(separator: ", "))).")
        if let variable = newKeyEnv {
            console.line("Now set $\(SecretKeySource.keyVariable) to the value of $\(variable) wherever secrets are read.")
        }
    }
}
