import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a program to its end on a thread of its own, never one of Swift's cooperative threads, and
/// returns its exit status and output.
///
/// Spawned directly rather than with `Process`, which learns that a child ended when a socket it
/// gave the child closes: a program that starts a server (`pg_ctl start`, tmux) leaves the server
/// holding it, so `Process` would wait for ever. For the same reason the output goes to a file, not
/// a pipe. The child starts with no signal blocked: Dispatch's threads block signals, and a child
/// inherits the mask, so a server started from one would never see SIGCHLD or SIGTERM. And the child
/// gets no file descriptor but its standard input, output and error: a server started by the
/// program would otherwise keep, for as long as it runs, the pipes and sockets that other tests of
/// this process had open at that moment, and those tests would wait for ever for their ends.
public enum SpawnedProcess {
    /// A program that could not be started.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong.
        public var description: String
    }

    /// Runs `command` (a program's path, then its arguments), with `environment` added to this
    /// process's, and returns its exit status (-1 if a signal ended it) and what it wrote to its
    /// standard output and error.
    public static func run(_ command: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try runOnThisThread(command, environment: environment) })
            }.start()
        }
    }

    /// Runs `command` as ``run(_:environment:)`` does, blocking the calling thread: for where no
    /// task can wait, such as an `atexit` handler.
    public static func runOnThisThread(_ command: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let executable = command[0]
        let log = FileManager.default.temporaryDirectory.appending(path: "cairn-command-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        closeInheritedDescriptors(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        sigfillset(&signals)
        posix_spawnattr_setsigdefault(&attributes, &signals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = command.map { strdup($0) } + [nil]
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + variables).forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, variables)
        guard spawned == 0 else {
            throw Failure(description: "\(executable) could not be started: \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        // WEXITSTATUS, which Swift does not import: the exit status is in the second byte.
        return (status & 0x7F == 0 ? (status >> 8) & 0xFF : -1, output)
    }

    /// Adds to `actions` the closing of every descriptor from 3 on: with glibc's
    /// `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc module does not
    /// import, or else one close for each descriptor open now.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, CInt) -> CInt
            if unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3) == 0 { return }
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap({ CInt($0) }) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }
}
