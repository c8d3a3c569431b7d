public import Foundation

/// Expands run-name templates such as `{pipeline}-{date}-{time}`.
public struct RunNameTemplate: Sendable, Equatable {
    /// Cairn's default: the pipeline's name, the date and the time to the microsecond.
    public static let defaultTemplate = "{pipeline}-{date}-{time}"

    /// The template text.
    public let text: String
    private let parts: [Part]

    private enum Part: Equatable {
        case literal(String)
        case placeholder(String)
    }

    /// Parses a template; an unbalanced brace or an empty placeholder is an error.
    public init(_ text: String) throws {
        self.text = text
        var parts: [Part] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "{" {
                guard let close = text[index...].firstIndex(of: "}") else {
                    throw CairnError.invalidTemplate(template: text, reason: "the '{' at offset \(text.distance(from: text.startIndex, to: index)) is never closed")
                }
                let key = String(text[text.index(after: index)..<close])
                guard !key.isEmpty, !key.contains("{") else {
                    throw CairnError.invalidTemplate(template: text, reason: "a placeholder needs a name between '{' and '}'")
                }
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                parts.append(.placeholder(key))
                index = text.index(after: close)
            } else if character == "}" {
                throw CairnError.invalidTemplate(template: text, reason: "the '}' at offset \(text.distance(from: text.startIndex, to: index)) has no matching '{'")
            } else {
                literal.append(character)
                index = text.index(after: index)
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    /// Whether the template has a `{date}` or `{time}`: runs started apart get different names, and
    /// two whose names still meet (on the same day, or at the same moment) are numbered (`_2`)
    /// rather than refused.
    public var isTimeDependent: Bool {
        parts.contains { $0 == .placeholder("date") || $0 == .placeholder("time") }
    }

    /// The placeholder names the template uses.
    public var placeholders: [String] {
        parts.compactMap { if case .placeholder(let key) = $0 { key } else { nil } }
    }

    /// Expands the template for a pipeline at a moment, with extra substitutions.
    ///
    /// `{date}` is `YYYY_MM_DD` and `{time}` is `HH_MM_SS_ffffff`, both in UTC.
    public func expand(pipeline: String, at date: Date, substitutions: [String: String] = [:], kind: String = "run") throws -> String {
        var values = substitutions
        values["pipeline"] = pipeline
        // Formatting the date costs more than the rest: only when the template shows it.
        if isTimeDependent {
            let components = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
            let micro = Int((date.timeIntervalSince1970 * 1_000_000).rounded(.down)) % 1_000_000
            values["date"] = String(format: "%04d_%02d_%02d", components.year ?? 0, components.month ?? 0, components.day ?? 0)
            values["time"] = String(format: "%02d_%02d_%02d_%06d", components.hour ?? 0, components.minute ?? 0, components.second ?? 0, micro)
        }
        let name = try parts.map { part -> String in
            switch part {
            case .literal(let text): return text
            case .placeholder(let key):
                guard let value = values[key] else {
                    throw CairnError.invalidTemplate(template: text, reason: "no value for placeholder '{\(key)}'; known: \(Set(values.keys).union(["date", "time"]).sorted().joined(separator: ", "))")
                }
                return value
            }
        }.joined()
        try Names.validate(name, kind: kind, allowColon: true)
        return name
    }
}
