import CairnTesting
import Foundation

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

    /// Runs a tmux command to its end and returns its exit status and output: spawned directly,
    /// since the first command starts the tmux server, which keeps what it was given (see `SpawnedProcess`).
    private static func launch(_ tmux: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await SpawnedProcess.run([tmux] + arguments)
    }

    /// `text` quoted for the shell.
    static func quoted(_ text: String) -> String {
        "'" + text.replacing("'", with: "'\\''") + "'"
    }
}
