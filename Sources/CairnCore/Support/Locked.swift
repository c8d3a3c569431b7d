import Foundation

/// A value shared between threads, read and changed only while holding a lock.
///
/// It does what `Synchronization.Mutex` does. Mutex takes a futex directly on Linux, and Thread
/// Sanitizer, which sees only pthread locks, then reports every access it protects as a race; this
/// type holds an `NSLock`, a pthread mutex, so that `scripts/tsan` reports only real races.
package final class Locked<Value>: @unchecked Sendable {
    // @unchecked Sendable: `value` is read and written only inside `withLock`, while `lock` is held.
    private let lock = NSLock()
    private var value: Value

    /// Wraps `value`.
    package init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with the value while holding the lock, and returns what it returns.
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
