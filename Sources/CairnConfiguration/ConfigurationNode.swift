import Foundation
import CairnCore
import Yams

/// A value in a configuration file, with its dotted path (`steps.train.enable_cache`) and the
/// location of the key that holds it, so that every error names both.
struct ConfigurationNode {
    /// The YAML node.
    let node: Node
    /// The dotted path of the key that holds the value; empty for the whole file.
    let path: String
    /// Where the key is (for the whole file, where it starts).
    let location: SourceLocation

    /// The first document of `yaml`; an empty document is an empty mapping. Malformed YAML is an
    /// error with the parser's location, and so are anchors, aliases and nesting deeper than
    /// ``maximumDepth`` (see ``refuseExpansion(in:file:depth:)``).
    static func root(of yaml: String, file: String) throws -> ConfigurationNode {
        do {
            // Nodes hold their anchors weakly, and the parser holds them: the parser must live
            // while the nodes are checked for anchors.
            let parser = try Parser(yaml: yaml)
            let node = try parser.singleRoot() ?? Node([(Node, Node)]())
            try withExtendedLifetime(parser) { try refuseExpansion(in: node, file: file) }
            return ConfigurationNode(node: node, path: "", location: Self.location(of: node, in: file))
        } catch let error as YamlError {
            throw Self.describe(error, file: file)
        }
    }

    /// An error about this value.
    func error(_ reason: String) -> CairnError {
        .invalidConfiguration(key: path, reason: reason, location: location)
    }

    /// How the path reads in a message.
    var place: String {
        path.isEmpty ? "the configuration" : path
    }

    // MARK: - Mappings

    /// The members of a mapping, in file order; a null value (a key with nothing after it) has none.
    func members() throws -> [(key: String, value: ConfigurationNode)] {
        if isNull { return [] }
        guard case .mapping(let mapping) = node else {
            throw error(path.isEmpty
                ? "the configuration must be a mapping of keys such as run_name and parameters, found \(found)"
                : "wrong type for \(path): expected a mapping, found \(found)")
        }
        return try mapping.map { key, value in
            let keyLocation = Self.location(of: key, in: location.file)
            guard case .scalar(let scalar) = key else {
                throw CairnError.invalidConfiguration(key: path, reason: "a key in \(place) must be a name, found a \(key.mapping == nil ? "list" : "mapping")", location: keyLocation)
            }
            let name = scalar.string
            return (name, ConfigurationNode(node: value, path: path.isEmpty ? name : "\(path).\(name)", location: keyLocation))
        }
    }

    /// Reads a mapping whose keys must all be in `keys`; an unknown key is an error that suggests the closest.
    func read<Overrides, Current>(into overrides: inout Overrides, keys: [ConfigurationKey<Overrides, Current>]) throws {
        for (name, value) in try members() {
            guard let key = keys.first(where: { $0.name == name }) else {
                throw value.error(Suggestion.unknown("key", name, in: place, known: keys.map(\.name)))
            }
            try key.read(value, &overrides)
        }
    }

    /// The location of every key in the file, by dotted path.
    func keyLocations() -> [String: SourceLocation] {
        var locations: [String: SourceLocation] = [:]
        for (_, value) in (try? members()) ?? [] {
            locations[value.path] = value.location
            locations.merge(value.keyLocations()) { first, _ in first }
        }
        return locations
    }

    // MARK: - Values

    /// A boolean: `true` or `false`.
    func bool() throws -> Bool {
        guard case .scalar(let scalar) = node, tagName == .bool, let value = Bool.construct(from: scalar) else {
            throw error("wrong type for \(path): expected true or false, found \(found)")
        }
        return value
    }

    /// A whole number no smaller than `minimum`.
    func integer(atLeast minimum: Int) throws -> Int {
        guard case .scalar(let scalar) = node, tagName == .int, let value = Int.construct(from: scalar) else {
            throw error("wrong type for \(path): expected a whole number, found \(found)")
        }
        guard value >= minimum else {
            throw error("wrong value for \(path): expected at least \(minimum), found \(value)")
        }
        return value
    }

    /// A text; a number or boolean written without quotes is taken as its text.
    func string() throws -> String {
        guard case .scalar(let scalar) = node, !isNull else {
            throw error("wrong type for \(path): expected a text, found \(found)")
        }
        return scalar.string
    }

    /// One of an enumeration's raw values.
    func choice<Choice: CaseIterable & RawRepresentable<String>>(_ type: Choice.Type) throws -> Choice {
        let names = Choice.allCases.map(\.rawValue)
        let text = try string()
        guard let value = Choice(rawValue: text) else {
            throw error(
                "wrong value for \(path): expected one of \(names.joined(separator: ", ")), found '\(text)'"
                    + (Suggestion.closest(to: text, in: names).map { "; did you mean '\($0)'?" } ?? ""))
        }
        return value
    }

    /// Any value, as JSON: YAML's null, booleans, numbers, texts, lists and mappings.
    func json() throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch tagName {
            case .null: return .null
            case .bool: return Bool.construct(from: scalar).map(JSONValue.bool) ?? .string(scalar.string)
            case .int:
                guard let value = Int.construct(from: scalar) else { throw error("wrong value for \(path): \(scalar.string) is too large") }
                return .number(Double(value))
            case .float: return Double.construct(from: scalar).map(JSONValue.number) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            return .array(try sequence.enumerated().map { index, element in
                try ConfigurationNode(node: element, path: "\(path)[\(index)]", location: Self.location(of: element, in: location.file)).json()
            })
        case .mapping:
            return .object(Dictionary(try members().map { ($0.key, try $0.value.json()) }, uniquingKeysWith: { $1 }))
        case .alias:
            // Never reached: the parser replaces each alias by the node it names, and
            // `refuseExpansion` refuses that node's anchor before anything is read.
            throw error("wrong value for \(path): aliases are not supported")
        }
    }

    /// A mapping of JSON values, by key; null is empty.
    /// A mapping of strings: environment variables.
    func stringMembers() throws -> [String: String] {
        Dictionary(try members().map { ($0.key, try $0.value.string()) }, uniquingKeysWith: { $1 })
    }

    /// A list of strings: tags, secret names.
    func strings() throws -> [String] {
        guard case .array(let elements) = try json() else { throw error("wrong type for \(path): expected a list of strings") }
        return try elements.map { element in
            guard case .string(let text) = element else { throw error("wrong type for \(path): expected a list of strings") }
            return text
        }
    }

    /// A mapping read into a `Decodable` type; `keys` maps each key of the file (snake_case) to the
    /// type's coding key. An unknown key is an error.
    func decoded<T: Decodable>(_ type: T.Type, keys: KeyValuePairs<String, String>) throws -> T {
        let known = keys.map(\.key)
        var coded: [String: JSONValue] = [:]
        for (name, value) in try members() {
            guard let codingKey = keys.first(where: { $0.key == name })?.value else {
                throw value.error(Suggestion.unknown("key", name, in: path, known: known))
            }
            coded[codingKey] = try value.json()
        }
        do {
            return try CanonicalJSON.makeDecoder().decode(T.self, from: CanonicalJSON.data(encoding: JSONValue.object(coded)))
        } catch let decoding as DecodingError {
            throw error("wrong value for \(path): \(ParameterMerging.describe(decoding))")
        }
    }

    func jsonMembers() throws -> [String: JSONValue] {
        Dictionary(try members().map { ($0.key, try $0.value.json()) }, uniquingKeysWith: { $1 })
    }

    // MARK: - Describing

    /// The value's resolved YAML tag: quoted scalars are texts, plain ones are resolved by their form.
    private var tagName: Tag.Name {
        Tag.Name(rawValue: node.tag.rawValue)
    }

    private var isNull: Bool {
        if case .scalar = node { tagName == .null } else { false }
    }

    /// What the value is, for messages: `a list`, `the text "yes"`, `a number (4.5)`.
    private var found: String {
        switch node {
        case .scalar(let scalar):
            switch tagName {
            case .null: "nothing"
            case .bool: "a boolean (\(scalar.string))"
            case .int, .float: "a number (\(scalar.string))"
            default: "the text \"\(scalar.string)\""
            }
        case .sequence: "a list"
        case .mapping: "a mapping"
        case .alias: "an alias"
        }
    }

    static func location(of node: Node, in file: String) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    /// A parser error, with its location.
    private static func describe(_ error: YamlError, file: String) -> CairnError {
        func located(_ mark: Mark, _ problem: String) -> CairnError {
            .invalidConfiguration(key: "", reason: problem, location: SourceLocation(file: file, line: mark.line, column: mark.column))
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return located(mark, "malformed YAML: \(problem)" + (context.map { " (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? ""))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return located(context.mark, "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")): each key may appear once")
        default:
            return .invalidConfiguration(key: "", reason: "malformed YAML: \(error)", location: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}
