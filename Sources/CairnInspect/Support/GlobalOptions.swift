import ArgumentParser

/// The options every command takes: the stack, where the local store is, and whether to print JSON.
struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The stack. Default: $CAIRN_STACK, else the one `cairn stack set` chose, else local.", valueName: "name"))
    var stack: String?

    @Option(
        name: .customLong("store"),
        help: ArgumentHelp("The store folder. Default: $CAIRN_HOME, else the nearest .cairn folder here or above.", valueName: "path"))
    var store: String?

    @Flag(help: "Print JSON for scripts instead of tables.")
    var json = false
}
