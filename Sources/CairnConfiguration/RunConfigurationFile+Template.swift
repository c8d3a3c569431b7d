public import CairnCore

extension RunConfigurationFile {
    /// A configuration for `pipeline` with every key and its current value, as commented YAML that
    /// reads back to the same run.
    ///
    /// Values that are not set (a step's `enable_cache` that follows the pipeline, `max_concurrency`
    /// without a limit) and the steps' parameters are written commented out, with the value that
    /// applies: a step parameter set in the file would win over the pipeline parameter it came from.
    public static func template(for pipeline: CompiledPipeline) -> String {
        var lines = [
            "# Run configuration for pipeline '\(pipeline.name)', with every key and its current value.",
            "# Use it with `run \(pipeline.name) --config FILE`. The file wins over what the code declares;",
            "# values given for the run (--param, --no-cache) win over the file.",
        ]
        for key in ConfigurationKeys.run {
            lines.append("")
            lines += wrapped(key.help).map { "# \($0)" }
            write(key.name, key.current(pipeline), indent: "", into: &lines)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func write(_ name: String, _ value: TemplateValue, indent: String, into lines: inout [String]) {
        switch value {
        case .value(let value):
            lines.append("\(indent)\(yamlKey(name)): \(yamlFlow(value))")
        case .unset(let value):
            lines.append("\(indent)# \(yamlKey(name)): \(yamlFlow(value))")
        case .mapping(let members) where members.isEmpty:
            lines.append("\(indent)\(yamlKey(name)): {}")
        case .mapping(let members):
            lines.append("\(indent)\(yamlKey(name)):")
            for member in members { write(member.key, member.value, indent: indent + "  ", into: &lines) }
        }
    }

    /// A key, plain when it is a simple name and quoted otherwise.
    private static func yamlKey(_ key: String) -> String {
        let simple = !key.isEmpty && key.first != "-" && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        return simple ? key : yamlQuoted(key)
    }

    /// A value in YAML's flow style, which is JSON with spaces: texts are always quoted, so that
    /// `"yes"` stays a text.
    private static func yamlFlow(_ value: JSONValue) -> String {
        switch value {
        case .array(let elements): "[" + elements.map(yamlFlow).joined(separator: ", ") + "]"
        case .object(let members):
            "{" + members.sorted { $0.key < $1.key }.map { "\(yamlQuoted($0.key)): \(yamlFlow($0.value))" }.joined(separator: ", ") + "}"
        case .string(let text): yamlQuoted(text)
        default: CanonicalJSON.string(encoding: value)
        }
    }

    /// A text as a YAML double-quoted scalar: its JSON string, which YAML reads the same, except for
    /// characters JSON leaves as they are and YAML does not: those it reads as line breaks (U+0085,
    /// U+2028, U+2029), which a quoted scalar folds into spaces, and those it refuses (U+007F to
    /// U+009F, U+FEFF, U+FFFE, U+FFFF). Those are escaped as `\uXXXX`.
    private static func yamlQuoted(_ text: String) -> String {
        var quoted = ""
        for scalar in CanonicalJSON.string(encoding: JSONValue.string(text)).unicodeScalars {
            if (0x7F...0x9F).contains(scalar.value) || [0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF].contains(scalar.value) {
                let digits = String(scalar.value, radix: 16, uppercase: true)
                quoted += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            } else {
                quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted
    }

    /// Text cut into lines of at most 98 characters, at spaces.
    private static func wrapped(_ text: String) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > 98 {
                lines.append(line)
                line = ""
            }
            line += line.isEmpty ? String(word) : " \(word)"
        }
        return lines + (line.isEmpty ? [] : [line])
    }
}
