import CairnCore

/// Keeps the stores a command opened alive until the process exits, when the executable asks for it.
///
/// Closing the last connection to an SQLite file in WAL mode checkpoints the WAL into the file and
/// syncs it to disk: tens of milliseconds on a busy disk, for a command that may only have read.
/// SQLite needs no closing (its files are consistent at every commit), so the `cairn` executable,
/// which exits as soon as its command is done, leaves them open. Tests, which run many commands in
/// one process, close them.
final class StoreRetention: Sendable {
    /// The retention of the current command, when stores are to stay open.
    @TaskLocal static var current: StoreRetention?

    /// Retentions kept until the process exits.
    private static let untilExit = Locked<[StoreRetention]>([])

    private let stores = Locked<[any MetadataStore]>([])

    /// Keeps `store` alive as long as this retention.
    func retain(_ store: any MetadataStore) {
        stores.withLock { $0.append(store) }
    }

    /// Keeps this retention, and so its stores, until the process exits.
    func keepUntilExit() {
        Self.untilExit.withLock { $0.append(self) }
    }
}
