import CairnCore
import Foundation

/// Runs blocking file system calls, such as `fsync`, on threads of their own rather than on Swift's
/// cooperative pool, which has one thread per core: a disk that takes milliseconds to flush must
/// not stop every step of the process meanwhile.
///
/// The work goes to one of a few serial dispatch queues, picked by a key. Serial queues run on
/// Dispatch's overcommitting threads, so each busy queue gets a thread of its own, and as many
/// flushes as there are queues can wait on the disk at once.
enum BlockingIO {
    private static let queues = (0..<8).map { DispatchQueue(label: "cairn.artifacts.io.\($0)") }

    /// Runs `work` on the queue that `key` picks and returns what it returns.
    static func run<Value: Sendable>(spreadBy key: String, _ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        let queue = queues[Int(key.utf8.last ?? 0) % queues.count]
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
