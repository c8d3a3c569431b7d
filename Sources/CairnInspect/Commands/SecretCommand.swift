import ArgumentParser

/// `cairn secret …`.
struct SecretCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secret", abstract: "Create, list, show, update and delete secrets; rotate their key.",
        discussion: """
            A secret is a name with keys and values, encrypted in the stack's store. Steps that name it \
            receive its values as environment variables named by the key, upper-cased. The master key is \
            $CAIRN_SECRETS_KEY (ID:BASE64), else the file $CAIRN_SECRETS_KEY_FILE names, else, for a stack \
            in SQLite, secrets.key beside its database (made with mode 0600 when the first secret is). \
            A stack in PostgreSQL needs one of the two variables.
            """,
        subcommands: [
            SecretCreateCommand.self, SecretListCommand.self, SecretGetCommand.self, SecretUpdateCommand.self, SecretDeleteCommand.self,
            SecretRotateKeyCommand.self,
        ])
}
