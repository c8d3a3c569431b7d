import ArgumentParser
import Cairn
import Foundation

/// `cairn stack`: the stacks a project describes, and which one commands use.
struct StackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stack", abstract: "List, describe, register, choose, delete and check stacks.",
        discussion: """
            A stack says where runs are recorded (metadata store), where artifacts are kept (artifact \
            store) and what runs steps (orchestrator). `local` is built in; others are kept in \
            \(StackFile.fileName), in the current folder or above it (or where $\(StackFile.environmentVariable) \
            says), which a team commits with its project. Commands use the stack named with --stack, \
            else $\(StackSelection.environmentVariable), else the one `cairn stack set` chose, else local.
            """,
        subcommands: [
            StackListCommand.self, StackDescribeCommand.self, StackRegisterCommand.self, StackSetCommand.self, StackDeleteCommand.self,
            StackValidateCommand.self,
        ])
}

/// The stacks a command can choose from: `local` and those of the project's stack file.
struct KnownStacks {
    /// The stack file, if there is one.
    let file: StackFile?
    /// The name of the stack commands use.
    let active: String

    /// Reads the stack file, if any, and works out the active stack.
    static func read() throws -> KnownStacks {
        let environment = ProcessInfo.processInfo.environment
        let file = try StackFile.find().map(StackFile.init(contentsOf:))
        let chosen = environment[StackSelection.environmentVariable].flatMap { $0.isEmpty ? nil : $0 } ?? StackSelection.activeStack()
        return KnownStacks(file: file, active: chosen ?? StackConfiguration.localName)
    }

    /// Every stack, `local` first.
    func all() throws -> [StackConfiguration] {
        [try StackSelection.localStack()] + (file?.stacks ?? [])
    }

    /// The stack named `name`, or an error that suggests the closest.
    func stack(named name: String) throws -> StackConfiguration {
        let all = try all()
        if let stack = all.first(where: { $0.name == name }) { return stack }
        throw CommandError(
            "no stack named '\(name)'" + (Suggestion.closest(to: name, in: all.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""),
            hint: "See the stacks with: cairn stack list")
    }

    /// The stack file to change: the one found, or a new one in the current folder.
    func editableFile() -> StackFile {
        file ?? StackFile(emptyAt: URL(filePath: FileManager.default.currentDirectoryPath).appending(path: StackFile.fileName).path)
    }
}

/// A stack as `cairn stack list` and `describe` print it.
struct StackRow: Encodable {
    var name: String
    var active: Bool
    var metadataStore: String
    var artifactStore: String
    var orchestrator: String
    var configuration: StackConfiguration

    init(_ stack: StackConfiguration, active: String) {
        name = stack.name
        self.active = stack.name == active
        metadataStore = stack.metadataStore.summary
        artifactStore = stack.artifactStore.summary
        orchestrator = stack.orchestrator.flavor
        configuration = stack
    }
}

/// `cairn stack list`.
struct StackListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the stacks; the active one is marked.")

    @Flag(help: "Print JSON for scripts instead of a table.")
    var json = false

    func run() async throws {
        let console = Console.current
        let known = try KnownStacks.read()
        let rows = try known.all().map { StackRow($0, active: known.active) }
        if json { return try console.json(rows) }
        var table = Table(titles: ["", "STACK", "METADATA STORE", "ARTIFACT STORE", "ORCHESTRATOR"])
        for row in rows {
            table.append([Table.Cell(row.active ? "*" : ""), Table.Cell(row.name), Table.Cell(row.metadataStore), Table.Cell(row.artifactStore), Table.Cell(row.orchestrator)])
        }
        console.writeOutput(table.render(color: console.usesColor))
        if known.file == nil {
            console.line("Only the built-in stack: register another with `cairn stack register`, which writes \(StackFile.fileName) here.")
        }
    }
}

/// A stack named on the command line, by default the active one, and whether to print JSON.
struct StackChoice: ParsableArguments {
    @Argument(help: "The stack; default: the active one.")
    var name: String?

    @Flag(help: "Print JSON for scripts instead of text.")
    var json = false

    /// The stacks known here, and the one chosen.
    func resolve() throws -> (known: KnownStacks, stack: StackConfiguration) {
        let known = try KnownStacks.read()
        return (known, try known.stack(named: name ?? known.active))
    }
}

/// `cairn stack describe [NAME]`.
struct StackDescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe", abstract: "Show a stack's components; by default, the active stack's.")

    @OptionGroup var choice: StackChoice

    func run() async throws {
        let console = Console.current
        let (known, stack) = try choice.resolve()
        if choice.json { return try console.json(StackRow(stack, active: known.active)) }
        console.line("Stack '\(stack.name)'" + (stack.name == known.active ? " (active)" : ""))
        console.line("  Defined in       " + (stack.name == StackConfiguration.localName ? "Cairn (built in)" : known.file?.path ?? "-"))
        for (title, fields) in [
            ("Metadata store", StackFile.fields(of: stack.metadataStore)), ("Artifact store", StackFile.fields(of: stack.artifactStore)),
            ("Orchestrator", StackFile.fields(of: stack.orchestrator)),
        ] {
            console.line("  \(title.padding(toLength: 16, withPad: " ", startingAt: 0)) "
                + fields.map { $0.key == "flavor" ? $0.value : "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
    }
}
