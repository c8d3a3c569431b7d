/// Metadata a running step logs, kept until the step ends and then recorded.
public final class StepMetadataLog: Sendable {
    private let entries = Locked(Entries())

    /// What was logged, by where it goes.
    public struct Entries: Sendable {
        /// Metadata for the step run.
        public var stepRun: [String: JSONValue] = [:]
        /// Metadata for the run.
        public var run: [String: JSONValue] = [:]
        /// Metadata for output artifact versions, by output name.
        public var outputs: [String: [String: JSONValue]] = [:]
    }

    /// Makes an empty log.
    public init() {}

    /// Everything logged so far.
    public var logged: Entries {
        entries.withLock { $0 }
    }

    func add(_ values: [String: JSONValue], to keyPath: WritableKeyPath<Entries, [String: JSONValue]>) {
        entries.withLock { $0[keyPath: keyPath].merge(values) { _, new in new } }
    }

    func add(_ values: [String: JSONValue], output: String) {
        entries.withLock { $0.outputs[output, default: [:]].merge(values) { _, new in new } }
    }
}

extension StepContext {
    /// Logs metadata on the running step's step run.
    ///
    /// ```swift
    /// StepContext.current?.log(metadata: ["accuracy": 0.97, "epochs": 300])
    /// ```
    public func log(metadata: [String: JSONValue]) {
        metadataLog.add(metadata, to: \.stepRun)
    }

    /// Logs metadata on the run the step belongs to.
    public func log(runMetadata metadata: [String: JSONValue]) {
        metadataLog.add(metadata, to: \.run)
    }

    /// Logs metadata on the artifact version of one of the step's outputs (`output` for a single one).
    public func log(metadata: [String: JSONValue], forOutput output: String) {
        metadataLog.add(metadata, output: output)
    }
}
