import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The terminal that standard output shows on, if it is one, and the ANSI sequences that redraw
/// lines on it in place.
enum Terminal {
    /// Whether standard output is a terminal that understands cursor movement: not a pipe or a
    /// file, and not one that says it is `dumb`.
    static func isStandardOutput(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        isatty(STDOUT_FILENO) == 1 && environment["TERM"] != "dumb"
    }

    /// The size of the terminal `descriptor` shows on; 80 by 24 when it cannot tell.
    static func size(of descriptor: Int32) -> (columns: Int, rows: Int) {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else {
            return (80, 24)
        }
        return (Int(size.ws_col), Int(size.ws_row))
    }

    /// Moves the cursor to the start of the line `count` lines up, or of its own line for none.
    static func up(_ count: Int) -> String {
        count > 0 ? "\r\u{1B}[\(count)A" : "\r"
    }

    /// Erases everything below the cursor, and the rest of its line.
    static let eraseBelow = "\u{1B}[J"
}
