/// A place in a text file: the file's path as given, and a line and column counted from 1.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file's path, as the user gave it.
    public var file: String
    /// The line, counted from 1.
    public var line: Int
    /// The column, counted from 1 in Unicode scalars.
    public var column: Int

    /// Makes a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and terminals turn into links.
    public var description: String {
        "\(file):\(line):\(column)"
    }
}
