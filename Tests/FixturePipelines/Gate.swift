import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A gate that steps wait at, shut until the test opens it, so that a test decides when steps go
/// on, whatever the machine's load, and knows when they got there.
///
/// The gate is a file the test holds an exclusive `flock` on; a step at the gate keeps asking to
/// share it, holding its thread as blocking user code does, and passes once the test lets go (or
/// after ``giveUpAfter``, so that a failed test never holds it forever). A step that arrives after
/// the gate opened passes at once. Steps in other processes work the same.
/// Each step that arrives writes its name to a pipe beside the file, which the test reads with
/// ``arrivals(_:)``, and holds a shared lock on a third file while it waits, so that the test can
/// wait, with ``vacated()``, until no step waits any more: every step passed, or its process ended.
public final class Gate: Sendable {
    /// The environment variable that gives fixture steps in another process the path of a gate.
    public static let environmentVariable = "CAIRN_FIXTURE_GATE"

    /// The gate's file, which steps pass to ``pass(_:as:)``.
    public let path: String
    private let lock: Int32
    /// The read end of the arrivals pipe, opened for writing too, so that opening it never waits
    /// and a step's write never fails for want of a reader.
    private let arrivalsPipe: Int32

    /// Makes a shut gate.
    public init() throws {
        path = FileManager.default.temporaryDirectory.appending(path: "cairn-gate-\(UUID().uuidString)").path
        lock = Glibc.open(path, O_RDWR | O_CREAT, 0o600)
        guard lock >= 0, flock(lock, LOCK_EX) == 0, mkfifo(Self.arrivalsPath(path), 0o600) == 0 else { throw POSIXError(.EIO) }
        arrivalsPipe = Glibc.open(Self.arrivalsPath(path), O_RDWR)
        guard arrivalsPipe >= 0 else { throw POSIXError(.EIO) }
    }

    deinit {
        close(lock)
        close(arrivalsPipe)
        unlink(path)
        unlink(Self.arrivalsPath(path))
        unlink(Self.waitingPath(path))
    }

    /// Opens the gate: every step waiting passes, and so will every later one.
    public func open() {
        flock(lock, LOCK_UN)
    }

    /// Waits until `count` steps have arrived at the gate, and returns their names in the order they came.
    public func arrivals(_ count: Int) async -> [String] {
        let descriptor = arrivalsPipe
        return await OwnThread.run {
            var names: [String] = []
            var pending = Data()
            var buffer = [UInt8](repeating: 0, count: 512)
            while names.count < count {
                let read = Glibc.read(descriptor, &buffer, buffer.count)
                guard read > 0 else { break }
                pending.append(contentsOf: buffer[0..<read])
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    names.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending = Data(pending[(newline + 1)...])
                }
            }
            return names
        }
    }

    /// Waits until no step waits at the gate any more: each passed it, or its process ended.
    public func vacated() async {
        let waiting = Self.waitingPath(path)
        await OwnThread.run {
            let file = Glibc.open(waiting, O_RDWR | O_CREAT, 0o600)
            if file >= 0 {
                flock(file, LOCK_EX)
                close(file)
            }
        }
    }

    /// Says that `name` arrived at the gate at `path`, then blocks the calling thread until the gate
    /// is open (or ``giveUpAfter`` passed).
    public static func pass(_ path: String, as name: String) {
        // Held while the step waits, and let go when its process ends: what ``vacated()`` waits for.
        let waiting = Glibc.open(waitingPath(path), O_RDWR | O_CREAT, 0o600)
        defer { if waiting >= 0 { close(waiting) } }
        if waiting >= 0 { flock(waiting, LOCK_SH) }
        let pipe = Glibc.open(arrivalsPath(path), O_WRONLY | O_NONBLOCK)
        if pipe >= 0 {
            let line = Array("\(name)\n".utf8)
            _ = Glibc.write(pipe, line, line.count)
            close(pipe)
        }
        let file = Glibc.open(path, O_RDONLY)
        guard file >= 0 else { return }
        defer { close(file) }
        // Blocking, but for a bound: a test that never opens its gate (it failed before) must not
        // hold its step, its run and the test process forever.
        let deadline = Date(timeIntervalSinceNow: giveUpAfter)
        while flock(file, LOCK_SH | LOCK_NB) != 0, Date() < deadline { usleep(1_000) }
    }

    /// How long a step waits at a gate that does not open before it goes on anyway.
    static let giveUpAfter: TimeInterval = 90

    private static func waitingPath(_ path: String) -> String {
        path + ".waiting"
    }

    private static func arrivalsPath(_ path: String) -> String {
        path + ".arrivals"
    }
}
