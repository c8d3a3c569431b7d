import Foundation

/// How often a failing step is tried again, and how long to wait between attempts.
///
/// Every attempt is recorded as its own step run; earlier attempts are marked `retried`.
///
/// ```swift
/// @Step(options: StepOptions(retry: RetryPolicy(maxRetries: 3, delay: .seconds(2), backoff: 2)))  // waits 2 s, 4 s, 8 s
/// func download(url: String) async throws -> Data { … }
/// ```
///
/// Recorded, and written in configuration files, with the delay as a number of seconds:
/// `retry: {max_retries: 3, delay: 2, backoff: 2}`.
public struct RetryPolicy: Sendable, Codable, Equatable {
    /// How many more attempts after the first fails.
    public var maxRetries: Int
    /// How long to wait before the first retry.
    public var delay: Duration
    /// The factor the wait grows by after each retry.
    public var backoff: Double

    /// Makes a policy.
    public init(maxRetries: Int, delay: Duration = .zero, backoff: Double = 1) {
        self.maxRetries = maxRetries
        self.delay = delay
        self.backoff = backoff
    }

    /// How long to wait before retry number `retry` (from 1).
    public func wait(beforeRetry retry: Int) -> Duration {
        let seconds = Seconds.of(delay) * pow(backoff, Double(retry - 1))
        // Bounded, because a large backoff soon exceeds what `Duration` holds, and making one from
        // such a number traps; a negative or NaN wait is no wait.
        return seconds > 0 ? .seconds(min(seconds, Seconds.limit)) : .zero
    }

    enum CodingKeys: String, CodingKey {
        case maxRetries, delay, backoff
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            maxRetries: try container.decode(Int.self, forKey: .maxRetries),
            delay: try Seconds.decode(.delay, from: container) ?? .zero,
            backoff: try container.decodeIfPresent(Double.self, forKey: .backoff) ?? 1)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(maxRetries, forKey: .maxRetries)
        try container.encode(Seconds.of(delay), forKey: .delay)
        try container.encode(backoff, forKey: .backoff)
    }
}
