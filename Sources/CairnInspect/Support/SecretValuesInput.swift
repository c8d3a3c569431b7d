import ArgumentParser
import Foundation
import Yams

/// Where `cairn secret create` and `update` read values from: `KEY=VALUE` arguments, a `.env` or
/// YAML file (`--from-file`), or standard input (`--stdin`, `.env` lines), so that values can stay
/// out of the shell's history. A key given twice keeps its last value, arguments last.
struct SecretValuesInput: ParsableArguments {
    @Argument(help: ArgumentHelp("Values as KEY=VALUE.", valueName: "key=value"))
    var pairs: [String] = []

    @Option(help: ArgumentHelp("Read values from a .env file (KEY=VALUE lines) or a YAML file (.yaml, .yml) of keys to values.", valueName: "path"))
    var fromFile: String?

    @Flag(help: "Read values from standard input, as KEY=VALUE lines.")
    var stdin = false

    /// The values, from every source given.
    func values(console: Console) throws -> [String: String] {
        var values: [String: String] = [:]
        if let path = fromFile {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw CommandError("cannot read \(path)") }
            let isYAML = path.hasSuffix(".yaml") || path.hasSuffix(".yml")
            values.merge(try isYAML ? Self.yaml(text, source: path) : Self.dotenv(text, source: path)) { _, new in new }
        }
        if stdin {
            var lines: [String] = []
            while let line = console.readLine() { lines.append(line) }
            values.merge(try Self.dotenv(lines.joined(separator: "\n"), source: "standard input")) { _, new in new }
        }
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "=") else {
                // The argument may be a value typed without its key: never repeat it.
                throw CommandError("an argument is not KEY=VALUE", hint: "Give values as KEY=VALUE, or with --from-file or --stdin.")
            }
            values[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return values
    }

    /// `KEY=VALUE` lines; blank lines and `#` comments are skipped, `export ` is allowed before a
    /// key, and a value in matching single or double quotes loses them.
    static func dotenv(_ text: String, source: String) throws -> [String: String] {
        var values: [String: String] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else {
                throw CommandError("\(source):\(number + 1): a line is not KEY=VALUE")
            }
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            values[line[..<equals].trimmingCharacters(in: .whitespaces)] = value
        }
        return values
    }

    /// A YAML mapping of keys to scalar values.
    static func yaml(_ text: String, source: String) throws -> [String: String] {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw CommandError("\(source) is not YAML")
        }
        guard let mapping = node?.mapping else { throw CommandError("\(source) is not a YAML mapping of keys to values") }
        var values: [String: String] = [:]
        for (key, value) in mapping {
            guard let key = key.scalar?.string, let value = value.scalar?.string else {
                throw CommandError("\(source): every key and value must be a plain scalar, not a list or a mapping")
            }
            values[key] = value
        }
        return values
    }
}
