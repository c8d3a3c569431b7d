/// Why a CSV file could not be read as a ``Dataset``. Line and column numbers start at 1.
enum DatasetError: Error, CustomStringConvertible, Equatable {
    /// The first line is not `n_samples,n_features,class names...`.
    case badHeader(line: Int, reason: String)
    /// A data row has the wrong number of comma-separated cells.
    case wrongColumnCount(line: Int, expected: Int, found: Int)
    /// A feature cell is not a finite number.
    case nonNumeric(line: Int, column: Int, value: String)
    /// The last cell is not an integer index into the class names.
    case badLabel(line: Int, value: String, classCount: Int)
    /// The number of data rows differs from the count in the header.
    case rowCountMismatch(expected: Int, found: Int)

    /// A one-line explanation naming the place and the problem.
    var description: String {
        switch self {
        case let .badHeader(line, reason):
            "line \(line): bad header: \(reason)"
        case let .wrongColumnCount(line, expected, found):
            "line \(line): expected \(expected) columns but found \(found)"
        case let .nonNumeric(line, column, value):
            "line \(line), column \(column): '\(value)' is not a number"
        case let .badLabel(line, value, classCount):
            "line \(line): class index '\(value)' is not an integer in 0..<\(classCount)"
        case let .rowCountMismatch(expected, found):
            "the header promises \(expected) rows but the file has \(found)"
        }
    }
}
