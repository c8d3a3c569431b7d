import ArgumentParser

/// The options every command takes: where the store is, and whether to print JSON.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .customLong("store"),
        help: ArgumentHelp("The store folder. Default: $CAIRN_HOME, else the nearest .cairn folder here or above.", valueName: "path"))
    var store: String?

    @Flag(help: "Print JSON for scripts instead of tables.")
    var json = false
}
