import ArgumentParser

/// `cairn store …`.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Copy a stack's history into another stack's stores.", subcommands: [StoreCopyCommand.self])
}
