import CairnCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The terminal the live display draws on, and what else the process writes to it while a run
/// is under way.
///
/// Steps that run in process print to the same standard output as the display, and a line
/// printed below the block would be taken for part of it when the block is next redrawn. So,
/// while the display is on, standard output is redirected into a pipe, as pytest captures output,
/// and what comes out of the pipe is handed to the display a line at a time, to be printed above
/// the block. The display itself writes to a copy of standard output taken before.
///
/// Standard error is left alone, although what is written to it during a run disturbs the block:
/// a process that crashes writes why to it, and would die before the pipe was read.
final class OutputCapture: Sendable {
    /// The terminal, as standard output was when the capture was made.
    let terminal: Int32

    /// What a capture under way holds: the descriptor to put back, and how to end the relay.
    private struct Redirection: Sendable {
        var savedOutput: Int32
        /// The write end of a pipe whose read end the relay watches: a byte on it means drain and end.
        var control: Int32
        /// Signalled by the relay once it has handed on everything.
        var relayEnded: DispatchSemaphore
    }

    private let redirection = Locked<Redirection?>(nil)

    /// Takes a copy of standard output for the display.
    init() {
        terminal = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0)
    }

    deinit {
        stop(waits: false)
        close(terminal)
    }

    /// Writes text to the terminal at once, whatever standard output is now.
    func writeToTerminal(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(terminal, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    /// Redirects standard output, and hands what is written to it to `receive`, whole lines at a
    /// time and without their last line break, until ``stop()``. Nothing happens if a capture is
    /// already under way, or a pipe cannot be made.
    func start(_ receive: @escaping @Sendable (String) -> Void) {
        redirection.withLock { redirection in
            guard redirection == nil, let data = Self.makePipe() else { return }
            guard let control = Self.makePipe() else {
                close(data.read)
                close(data.write)
                return
            }
            // What is buffered goes where it was meant to go before the redirection.
            fflush(nil)
            let savedOutput = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0)
            dup2(data.write, STDOUT_FILENO)
            close(data.write)
            let relayEnded = DispatchSemaphore(value: 0)
            // A thread of its own, as it blocks in `poll` for as long as the run lasts.
            Thread.detachNewThread {
                Self.relay(from: data.read, until: control.read, to: receive)
                close(data.read)
                close(control.read)
                relayEnded.signal()
            }
            redirection = Redirection(savedOutput: savedOutput, control: control.write, relayEnded: relayEnded)
        }
    }

    /// Puts standard output back, and returns once everything written to it before has been
    /// handed on, or at once if `waits` is false.
    ///
    /// Waiting, it waits for the relay, which may be waiting to hand on a line: not to be done
    /// while holding a lock that `receive` takes, nor from `receive` itself.
    func stop(waits: Bool = true) {
        guard let redirection = redirection.withLock({ current in defer { current = nil }; return current }) else { return }
        fflush(nil)
        dup2(redirection.savedOutput, STDOUT_FILENO)
        close(redirection.savedOutput)
        // Rather than wait for the pipe's end, which a child process that inherited standard
        // output may hold off: the relay drains what is in the pipe now, and ends.
        var byte: UInt8 = 0
        _ = write(redirection.control, &byte, 1)
        close(redirection.control)
        if waits { redirection.relayEnded.wait() }
    }

    /// Hands what comes out of `data` to `receive` in whole lines, until `data` ends or `control`
    /// is readable; then drains `data` without waiting, and hands on the rest.
    private static func relay(from data: Int32, until control: Int32, to receive: (String) -> Void) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var descriptors = [pollfd(fd: data, events: Int16(POLLIN), revents: 0), pollfd(fd: control, events: Int16(POLLIN), revents: 0)]
        var isDraining = false
        while true {
            if !isDraining {
                if poll(&descriptors, 2, -1) < 0 {
                    if errno == EINTR { continue }
                    break
                }
                if descriptors[1].revents != 0 {
                    isDraining = true
                    _ = fcntl(data, F_SETFL, fcntl(data, F_GETFL) | O_NONBLOCK)
                } else if descriptors[0].revents == 0 {
                    continue
                }
            }
            let count = read(data, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            // The end of the pipe, nothing more to drain, or an error: all the same here.
            guard count > 0 else { break }
            pending += buffer[..<count]
            if let end = pending.lastIndex(of: UInt8(ascii: "\n")) {
                receive(String(decoding: pending[..<end], as: UTF8.self))
                pending.removeFirst(end + 1)
            }
        }
        if !pending.isEmpty { receive(String(decoding: pending, as: UTF8.self)) }
        // The pipe ends as soon as standard output is put back, which may be seen before the byte
        // on `control`: it is waited for all the same, as writing it to a pipe that nobody reads
        // any more would kill the process with SIGPIPE.
        var controlOnly = [descriptors[1]]
        while !isDraining {
            if poll(&controlOnly, 1, -1) < 0 && errno == EINTR { continue }
            isDraining = true
        }
    }

    /// A pipe whose ends are not inherited by child processes.
    private static func makePipe() -> (read: Int32, write: Int32)? {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }
}
