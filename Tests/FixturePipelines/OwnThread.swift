import Foundation

/// Runs blocking work (waiting for a process, a pipe or a lock) on a thread of its own.
///
/// On Linux, Swift's cooperative pool is Dispatch's global queue, as wide as the machine has cores:
/// work that blocks there, even through `DispatchQueue.global().async`, holds a thread every test
/// in the process needs, and on a 2-core machine two such waits stall them all.
public enum OwnThread {
    /// Runs `work` on a new thread and returns what it returns.
    public static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    /// Runs `work`, which cannot fail, on a new thread and returns what it returns.
    public static func run<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }
}
