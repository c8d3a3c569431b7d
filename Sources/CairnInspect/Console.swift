public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the `cairn` commands write, and how: in colour to a terminal, plainly to pipes, files and tests.
///
/// Commands read the console of the current task, ``current``; tests run commands with a console
/// of their own:
///
/// ```swift
/// let recorder = ConsoleRecorder()
/// let status = await CairnCommand.run(["runs", "list"], console: recorder.console)
/// ```
public struct Console: Sendable {
    /// Whether output may use ANSI colours and styles: only when standard output is a terminal.
    public var usesColor: Bool
    /// Whether dates are shown in UTC instead of local time.
    public var showsUTC: Bool
    /// The width help texts wrap at; `nil` means the terminal's width, or 80.
    public var columns: Int?
    /// Whether a person can answer a question on standard input.
    public var isInteractive: Bool
    /// Writes text to standard output, as given.
    public var writeOutput: @Sendable (String) -> Void
    /// Writes text to standard error, as given.
    public var writeError: @Sendable (String) -> Void
    /// Reads one line from standard input, or `nil` at its end.
    public var readLine: @Sendable () -> String?

    /// Makes a console; by default a plain one that writes to the process's standard output and error.
    public init(
        usesColor: Bool = false, showsUTC: Bool = false, columns: Int? = nil, isInteractive: Bool = false,
        writeOutput: @escaping @Sendable (String) -> Void = { print($0, terminator: "") },
        writeError: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
        readLine: @escaping @Sendable () -> String? = { Swift.readLine() }
    ) {
        self.usesColor = usesColor
        self.showsUTC = showsUTC
        self.columns = columns
        self.isInteractive = isInteractive
        self.writeOutput = writeOutput
        self.writeError = writeError
        self.readLine = readLine
    }

    /// The process's console: colour when standard output is a terminal, unless `NO_COLOR` is set or
    /// `TERM` is `dumb`.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> Console {
        let isTerminal = isatty(STDOUT_FILENO) != 0
        let allowsColor = environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        return Console(usesColor: isTerminal && allowsColor, isInteractive: isatty(STDIN_FILENO) != 0 && isTerminal)
    }

    /// The console commands write to in the current task.
    @TaskLocal public static var current = Console.standard()

    // MARK: - Writing

    /// Writes `text` and a line break to standard output.
    func line(_ text: String = "") {
        writeOutput(text + "\n")
    }

    /// `text` in `style`, when colour is on.
    func paint(_ text: String, _ style: TextStyle) -> String {
        usesColor ? style.apply(to: text) : text
    }

    /// Writes a value as JSON, pretty-printed with sorted keys, and a line break.
    func json(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        line(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Asks a yes-or-no question on a terminal; `false` unless the answer starts with `y`.
    func confirm(_ question: String) -> Bool {
        writeOutput(question + " [y/N] ")
        guard let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return answer.hasPrefix("y")
    }
}
