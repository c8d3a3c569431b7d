public import CairnCore
public import Foundation
public import Logging
import Synchronization

/// Collects what one step run logs, to store it with the step run.
///
/// Lines are formatted and appended to a buffer in memory under a lock: no I/O happens while the
/// step runs, so logging costs a step about as much as building the line does.
public final class StepLog: Sendable {
    private let lines = Mutex<[UInt8]>([])

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
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            let details = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            log.append("\(Date().formatted(.iso8601.time(includingFractionalSeconds: true))) \(event.level) \(event.message)\(details)\n")
        }
    }
}
