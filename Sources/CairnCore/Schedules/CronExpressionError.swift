/// Why a cron expression cannot be read: the field, where it is, and what is wrong.
///
/// ```
/// minute field (column 1): 61 is out of range 0–59
/// ```
public struct CronExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field at fault (`minute`, `hour`, `day-of-month`, `month`, `day-of-week`), or `nil` when
    /// the expression as a whole is wrong (its number of fields).
    public var field: String?
    /// Where the fault is in the expression, counting characters from 1.
    public var column: Int
    /// What is wrong.
    public var problem: String

    init(_ kind: CronField.Kind?, column: Int, _ problem: String) {
        field = kind?.label
        self.column = column
        self.problem = problem
    }

    /// The field and column, then the problem.
    public var description: String {
        (field.map { "\($0) field" } ?? "expression") + " (column \(column)): " + problem
    }
}
