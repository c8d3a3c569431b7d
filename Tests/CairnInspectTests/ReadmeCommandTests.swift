import ArgumentParser
import CairnInspect
import Foundation
import Testing

/// The `cairn` command lines the README shows are ones `cairn` accepts: its options and arguments
/// are checked as they are written, without running anything.
@Suite("The README's cairn commands")
struct ReadmeCommandTests {
    static let readme = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "README.md")

    /// The words of a shell command line: split at spaces, quotes removed, a `#` comment dropped.
    static func words(of line: String) -> [String] {
        var words: [String] = []
        var word: String?
        var quote: Character?
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { word = (word ?? "") + String(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                word = word ?? ""
            } else if character == " " {
                if let finished = word { words.append(finished) }
                word = nil
            } else if character == "#", word == nil {
                break
            } else {
                word = (word ?? "") + String(character)
            }
        }
        if let finished = word { words.append(finished) }
        return words
    }

    /// Each `$ cairn …` line of the README's console examples, its continuation lines joined, with its line number.
    static func commandLines() throws -> [(line: Int, text: String)] {
        let lines = try String(contentsOf: readme, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var commands: [(line: Int, text: String)] = []
        var inConsole = false
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix("```") { inConsole = line == "```console" }
            if inConsole, line.hasPrefix("$ cairn ") {
                let start = index + 1
                var text = String(line.dropFirst(2))
                while text.hasSuffix("\\"), index + 1 < lines.count {
                    index += 1
                    text = String(text.dropLast()) + " " + lines[index].trimmingCharacters(in: .whitespaces)
                }
                commands.append((start, text))
            }
            index += 1
        }
        return commands
    }

    @Test("every `$ cairn …` line of the README parses, the store copy of the Teams section among them")
    func commandsParse() throws {
        let commands = try Self.commandLines()
        #expect(commands.contains { $0.text.hasPrefix("cairn store copy --from local --to team") })
        #expect(commands.count > 15, "the README's commands were found")
        for command in commands where !command.text.contains("…") {
            let arguments = Array(Self.words(of: command.text).dropFirst())
            #expect(throws: Never.self, "README.md:\(command.line): \(command.text)") { _ = try CairnCommand.parseAsRoot(arguments) }
        }
    }
}
