import Cairn

/// One-way signals by label: a step opens one, and whatever waits for it goes on. Tests that run in
/// parallel use labels of their own.
enum Latches {
    private struct Latch {
        var isOpen = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private static let latches = Locked<[String: Latch]>([:])

    /// Opens the latch `label`, waking every task waiting for it.
    static func open(_ label: String) {
        let waiters = latches.withLock { latches in
            defer { latches[label] = Latch(isOpen: true) }
            return latches[label]?.waiters ?? []
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Whether the latch `label` is open.
    static func isOpen(_ label: String) -> Bool {
        latches.withLock { $0[label]?.isOpen ?? false }
    }

    /// Waits until the latch `label` is open.
    static func wait(for label: String) async {
        await withCheckedContinuation { continuation in
            let isOpen = latches.withLock { latches in
                if latches[label]?.isOpen == true { return true }
                latches[label, default: Latch()].waiters.append(continuation)
                return false
            }
            if isOpen { continuation.resume() }
        }
    }
}
