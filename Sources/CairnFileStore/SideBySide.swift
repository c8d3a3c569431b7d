import Foundation

/// Runs two pieces of work at once, each on its own thread, and returns when both have ended.
///
/// Large artifact reads and writes hash their bytes on one thread while the file is read or
/// written on another: for large transfers, hashing takes about as long as the I/O, and neither
/// needs the other's result.
enum SideBySide {
    /// Runs `first` and `second` at once; rethrows what `second` throws.
    ///
    /// The two must touch disjoint state, since they run on two threads at once.
    static func run(_ first: () -> Void, _ second: () throws -> Void) throws {
        try withoutActuallyEscaping(first) { first in
            try withoutActuallyEscaping(second) { second in
                let halves = Halves(first: first, second: second)
                DispatchQueue.concurrentPerform(iterations: 2) { halves.run($0) }
                if let failure = halves.failure { throw failure }
            }
        }
    }
}

/// The two pieces of work, shared by the two threads.
///
/// `@unchecked Sendable` because `concurrentPerform` returns only after both halves end, before the
/// closures' lifetime ends with ``SideBySide/run(_:_:)``; each thread runs one closure, which the
/// caller guarantees touch disjoint state, and only the second thread writes `failure`, which is
/// read after both have ended.
private final class Halves: @unchecked Sendable {
    let first: () -> Void
    let second: () throws -> Void
    var failure: (any Error)?

    init(first: @escaping () -> Void, second: @escaping () throws -> Void) {
        self.first = first
        self.second = second
    }

    func run(_ half: Int) {
        if half == 0 {
            first()
        } else {
            do { try second() } catch { failure = error }
        }
    }
}
