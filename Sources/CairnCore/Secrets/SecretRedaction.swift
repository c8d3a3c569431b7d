public import Foundation

/// Replaces secret values with `****` in what Cairn stores or shows: step logs, a step process's
/// output, error texts, logged metadata.
///
/// Longer values are replaced first, so that a value that contains another is hidden whole.
public struct SecretRedaction: Sendable, Equatable {
    /// What a value is replaced with.
    public static let mask = "****"

    /// The values to hide, longest first; never empty strings.
    public let values: [String]

    /// Hides `values`.
    public init(_ values: some Sequence<String>) {
        self.values = Set(values.filter { !$0.isEmpty }).sorted { $0.utf8.count != $1.utf8.count ? $0.utf8.count > $1.utf8.count : $0 < $1 }
    }

    /// Whether there is nothing to hide.
    public var isEmpty: Bool { values.isEmpty }

    /// `text` with every value replaced.
    public func redact(_ text: String) -> String {
        guard !values.isEmpty else { return text }
        var text = text
        for value in values where text.contains(value) {
            text = text.replacingOccurrences(of: value, with: Self.mask)
        }
        return text
    }

    /// `data` with every value's UTF-8 bytes replaced, whatever the bytes around them are.
    public func redact(_ data: Data) -> Data {
        guard !values.isEmpty else { return data }
        var data = data
        let mask = Data(Self.mask.utf8)
        for value in values {
            let needle = Data(value.utf8)
            var searchStart = data.startIndex
            while let range = data.range(of: needle, in: searchStart..<data.endIndex) {
                data.replaceSubrange(range, with: mask)
                searchStart = range.lowerBound + mask.count
            }
        }
        return data
    }

    /// `value` with every string in it, keys included, redacted.
    public func redact(_ value: JSONValue) -> JSONValue {
        guard !values.isEmpty else { return value }
        switch value {
        case .string(let text): return .string(redact(text))
        case .array(let elements): return .array(elements.map(redact))
        case .object(let members): return .object(Dictionary(members.map { (redact($0.key), redact($0.value)) }, uniquingKeysWith: { $1 }))
        default: return value
        }
    }
}
