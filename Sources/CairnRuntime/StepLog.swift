import CairnCore
public import Foundation
public import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Collects what one step run logs, to store it with the step run.
///
/// Lines are formatted and appended to a buffer in memory under a lock: no I/O happens while the
/// step runs, so logging costs a step about as much as building the line does.
public final class StepLog: Sendable {
    fileprivate let lines = Locked<[UInt8]>([])

    /// Makes an empty log.
    public init() {}

    /// A logger whose lines go to this log; with `enabled` false, a logger that drops everything.
    public func makeLogger(label: String, enabled: Bool) -> Logger {
        guard enabled else { return Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() }) }
        return Logger(label: label, factory: { _ in Handler(log: self) })
    }

    /// Appends text.
    public func append(_ text: String) {
        lines.withLock { $0.append(contentsOf: text.utf8) }
    }

    /// Everything logged so far.
    public var contents: Data {
        lines.withLock { Data($0) }
    }

    /// Formats records as `2026-11-24T10:00:00.123Z info message key=value`.
    struct Handler: LogHandler {
        let log: StepLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var line = Self.timestamp()
            line.append(0x20)
            line.append(contentsOf: event.level.rawValue.utf8)
            line.append(0x20)
            line.append(contentsOf: event.message.description.utf8)
            let merged = event.metadata.map { metadata.merging($0) { _, new in new } } ?? metadata
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
                line.append(contentsOf: " \(key)=\(value)".utf8)
            }
            line.append(0x0A)
            log.lines.withLock { $0.append(contentsOf: line) }
        }

        /// The current UTC time as ISO 8601 with milliseconds, formatted by hand: Foundation's
        /// formatters cost microseconds per line, which a step logging a lot would feel.
        static func timestamp() -> [UInt8] {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            var parts = tm()
            var seconds = now.tv_sec
            gmtime_r(&seconds, &parts)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(96)
            func digits(_ value: Int, _ count: Int) {
                var divisor = 1
                for _ in 1..<count { divisor *= 10 }
                var rest = value
                while divisor > 0 {
                    bytes.append(UInt8(48 + rest / divisor))
                    rest %= divisor
                    divisor /= 10
                }
            }
            digits(Int(parts.tm_year) + 1900, 4); bytes.append(0x2D)
            digits(Int(parts.tm_mon) + 1, 2); bytes.append(0x2D)
            digits(Int(parts.tm_mday), 2); bytes.append(0x54)
            digits(Int(parts.tm_hour), 2); bytes.append(0x3A)
            digits(Int(parts.tm_min), 2); bytes.append(0x3A)
            digits(Int(parts.tm_sec), 2); bytes.append(0x2E)
            digits(Int(now.tv_nsec) / 1_000_000, 3); bytes.append(0x5A)
            return bytes
        }
    }
}
