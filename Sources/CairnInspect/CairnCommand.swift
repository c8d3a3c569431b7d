public import ArgumentParser

/// The `cairn` command line: inspects and manages the stores of a Cairn stack.
///
/// Every command takes `--stack NAME` (else `$CAIRN_STACK`, else the stack `cairn stack set` chose,
/// else the local stack), `--store PATH` for the local stack's folder (else `$CAIRN_HOME`, else the
/// nearest `.cairn` folder) and `--json`, and prints aligned tables to people. Commands see the
/// stores only through their protocols, so they work the same on every flavor of store.
///
/// ```console
/// $ cairn runs list --pipeline training --since 2d
/// $ cairn runs show training-2025_01_31-10_00_00
/// $ cairn artifact export training::train::model:3 model.json
/// ```
///
/// The executable's `main` is one call, ``run(_:console:)``; tests call it too, with a console that
/// records what is printed.
public struct CairnCommand: AsyncParsableCommand {
    /// The command's name, help text and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "cairn",
        abstract: "Inspect and manage a Cairn stack's stores: pipelines, runs, steps, artifacts and schedules.",
        discussion: """
            Commands use the stack named with --stack, else $CAIRN_STACK, else the one `cairn stack set` \
            chose, else the local stack, whose folder is the one given with --store, else $CAIRN_HOME, else \
            the nearest .cairn folder in the current folder or above it. Every command prints JSON with --json.

            Everyday commands:
              cairn runs list --pipeline training --since 2d
              cairn runs show RUN
              cairn runs dag RUN --format mermaid
              cairn artifact show training::train::model:3
              cairn artifact export training::train::model model.json
              cairn schedule list
            """,
        subcommands: [
            InitCommand.self, StatusCommand.self, PipelineCommand.self, RunsCommand.self, StepsCommand.self,
            ArtifactCommand.self, StackCommand.self, StoreCommand.self, SecretCommand.self, ScheduleCommand.self,
        ])

    /// Makes the command; ArgumentParser calls this.
    public init() {}

    /// Parses `arguments` (without the executable's name), runs the command they name with
    /// `console`, and returns the exit status: 0 on success, 1 on an error, 64 on a usage mistake.
    ///
    /// Errors go to the console's standard error, help to its standard output.
    ///
    /// - Parameters:
    ///   - arguments: The command line, without the executable's name.
    ///   - console: Where to write.
    ///   - isExiting: Whether the process exits right after. The store is then left open: SQLite
    ///     needs no closing, and closing would checkpoint and sync the file, which a command that
    ///     only read has no need of.
    public static func run(_ arguments: [String], console: Console = .standard(), isExiting: Bool = false) async -> Int32 {
        let retention = isExiting ? StoreRetention() : nil
        defer { retention?.keepUntilExit() }
        return await StoreRetention.$current.withValue(retention) {
            await execute(arguments, console: console)
        }
    }

    private static func execute(_ arguments: [String], console: Console) async -> Int32 {
        await Console.$current.withValue(console) {
            do {
                var command = try parseAsRoot(arguments)
                if var asynchronous = command as? any AsyncParsableCommand {
                    try await asynchronous.run()
                } else {
                    try command.run()
                }
                return 0
            } catch {
                let code = exitCode(for: error)
                let text = fullMessage(for: error, columns: console.columns)
                if code == .success {
                    if !text.isEmpty { console.line(text) }
                } else if !text.isEmpty {
                    console.writeError(text.hasSuffix("\n") ? text : text + "\n")
                }
                return code.rawValue
            }
        }
    }
}
