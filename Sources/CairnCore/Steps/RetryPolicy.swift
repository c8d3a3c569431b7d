import Foundation

/// How often a failing step is tried again, and how long to wait between attempts.
///
/// Every attempt is recorded as its own step run; earlier attempts are marked `retried`.
///
/// ```swift
/// @Step(options: StepOptions(retry: RetryPolicy(maxRetries: 3, delay: 2, backoff: 2)))  // waits 2 s, 4 s, 8 s
/// func download(url: String) async throws -> Data { … }
/// ```
public struct RetryPolicy: Sendable, Codable, Equatable {
    /// How many more attempts after the first fails.
    public var maxRetries: Int
    /// Seconds to wait before the first retry.
    public var delay: Double
    /// The factor the wait grows by after each retry.
    public var backoff: Double

    /// Makes a policy.
    public init(maxRetries: Int, delay: Double = 0, backoff: Double = 1) {
        self.maxRetries = maxRetries
        self.delay = delay
        self.backoff = backoff
    }

    /// Seconds to wait before retry number `retry` (from 1).
    public func wait(beforeRetry retry: Int) -> Double {
        delay * pow(backoff, Double(retry - 1))
    }
}
