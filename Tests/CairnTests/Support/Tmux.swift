import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a shell command on a real terminal: a detached tmux session on a server of the test's
/// own, and returns what the terminal shows once the command has ended.
///
/// The command waits for a signal before it starts, so that the test is waiting before anything
/// happens, and signals its end, so that the test reads the screen after the last byte and not
/// after some time: `tmux wait-for` remembers a signal given before anyone waits for it.
enum Tmux {
    /// The tmux executable, if it is installed.
    static let path: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// A tmux command that failed, or could not start.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The lines of the screen, `columns` by `rows`, after `command` (a shell command) has ended,
    /// without trailing spaces and the empty lines at its end.
    static func screen(after command: String, columns: Int, rows: Int) async throws -> [String] {
        guard let tmux = path else { throw Failure(description: "tmux is not installed (apt-get install tmux)") }
        // A socket of its own, removed at the end, as tmux leaves it behind; a short name, as a
        // socket's path may not be longer than about 100 bytes.
        let socket = FileManager.default.temporaryDirectory.appending(path: "tmux-\(UUID().uuidString.prefix(13))").path
        defer { try? FileManager.default.removeItem(atPath: socket) }
        @discardableResult
        func run(_ arguments: [String]) async throws -> String {
            let (status, output) = try await launch(tmux, ["-S", socket] + arguments)
            guard status == 0 else { throw Failure(description: "tmux \(arguments.joined(separator: " ")) exited with \(status): \(output)") }
            return output
        }
        let control = "\(quoted(tmux)) -S \(quoted(socket)) wait-for"
        // The shell then waits until the server is killed: a pane whose command has ended shows
        // a line of its own, which scrolls the screen.
        let script = "\(control) go; \(command); echo \"exit status $?\"; \(control) -S done; \(control) forever"
        try await run(["-f", "/dev/null", "new-session", "-d", "-s", "test", "-x", "\(columns)", "-y", "\(rows)", script])
        do {
            try await run(["wait-for", "-S", "go"])
            try await run(["wait-for", "done"])
            let screen = try await run(["capture-pane", "-p", "-t", "test"])
            _ = try? await run(["kill-server"])
            var lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).replacing(/\ +$/, with: "") }
            while lines.last?.isEmpty == true { lines.removeLast() }
            return lines
        } catch {
            _ = try? await run(["kill-server"])
            throw error
        }
    }

    /// Runs a tmux command to its end and returns its exit status and output.
    ///
    /// Spawned directly rather than with `Process`, which learns that a child ended when a socket
    /// it gave the child closes: the first command starts the tmux server, which keeps what it
    /// was given, so `Process` would wait for ever. For the same reason the output goes to a file,
    /// not a pipe.
    private static func launch(_ tmux: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            // Waited for on a thread of its own, not one of Swift's cooperative threads.
            DispatchQueue.global().async {
                let log = FileManager.default.temporaryDirectory.appending(path: "cairn-tmux-\(UUID().uuidString).log")
                defer { try? FileManager.default.removeItem(at: log) }
                var actions = posix_spawn_file_actions_t()
                posix_spawn_file_actions_init(&actions)
                defer { posix_spawn_file_actions_destroy(&actions) }
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                posix_spawn_file_actions_adddup2(&actions, 1, 2)
                let argv = ([tmux] + arguments).map { strdup($0) } + [nil]
                let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
                defer { (argv + environment).forEach { free($0) } }
                // Dispatch's threads block signals, and a child inherits the mask: a tmux server
                // that never sees SIGCHLD or SIGTERM neither reaps its panes nor stops.
                var attributes = posix_spawnattr_t()
                posix_spawnattr_init(&attributes)
                defer { posix_spawnattr_destroy(&attributes) }
                var signals = sigset_t()
                sigemptyset(&signals)
                posix_spawnattr_setsigmask(&attributes, &signals)
                sigfillset(&signals)
                posix_spawnattr_setsigdefault(&attributes, &signals)
                posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
                var pid = pid_t()
                let spawned = posix_spawn(&pid, tmux, &actions, &attributes, argv, environment)
                guard spawned == 0 else {
                    continuation.resume(throwing: Failure(description: "tmux could not be started: \(String(cString: strerror(spawned)))"))
                    return
                }
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                // WEXITSTATUS, which Swift does not import: the exit status is in the second byte.
                continuation.resume(returning: (status & 0x7F == 0 ? (status >> 8) & 0xFF : -1, output))
            }
        }
    }

    /// `text` quoted for the shell.
    static func quoted(_ text: String) -> String {
        "'" + text.replacing("'", with: "'\\''") + "'"
    }
}
