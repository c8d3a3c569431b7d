/// Spans of time as numbers of seconds: the form in which records and configuration files keep a
/// `Duration`, so that a YAML file says `delay: 2` and records from before `Duration` still decode.
package enum Seconds {
    /// The longest span read: far beyond any wait or expiry, and well within what `Duration` holds.
    static let limit = 1e15

    /// The span as a number of seconds.
    package static func of(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        // Divided rather than multiplied by 1e-18, which is not exact: 0.1 s then reads back as 0.1.
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Reads a number of seconds, if present; one that `Duration` cannot hold (negative, not
    /// finite, or huge) is a decoding error rather than a trap.
    static func decode<Key: CodingKey>(_ key: Key, from container: KeyedDecodingContainer<Key>) throws -> Duration? {
        guard let seconds = try container.decodeIfPresent(Double.self, forKey: key) else { return nil }
        guard seconds.isFinite, seconds >= 0, seconds <= limit else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "expected a number of seconds from 0 to 1e15, found \(seconds)")
        }
        return .seconds(seconds)
    }
}
