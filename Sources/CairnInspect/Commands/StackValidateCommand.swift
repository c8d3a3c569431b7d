import ArgumentParser
import Cairn
import Foundation

/// `cairn stack validate [NAME]`.
struct StackValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Try each component of a stack, by default the active one, and say what works.",
        discussion: "Nothing is created or changed: the metadata store is opened and read, the artifact folder written to and read back. Exits with 1 when a component does not work.")

    @OptionGroup var choice: StackChoice

    func run() async throws {
        let console = Console.current
        let stack = try choice.resolve().stack
        let checks = await Stack.validate(stack)
        if choice.json {
            try console.json(checks)
        } else {
            console.line("Stack '\(stack.name)':")
            for check in checks {
                let title = check.component.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)
                console.line("  \(check.problem == nil ? "✓" : "✗") \(title) \(check.description)" + (check.problem.map { "\n      \($0)" } ?? ""))
            }
        }
        if checks.contains(where: { $0.problem != nil }) { throw ExitCode.failure }
    }
}
