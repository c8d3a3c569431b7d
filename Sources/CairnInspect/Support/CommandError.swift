/// An error a command reports: what is wrong, then what to type instead.
///
/// ```
/// Error: no run named 'diamnd-1'; did you mean 'diamond-1'?
/// Try: cairn runs show diamond-1
/// ```
struct CommandError: Error, CustomStringConvertible {
    /// What is wrong.
    var problem: String
    /// What to do or type instead.
    var hint: String?

    init(_ problem: String, hint: String? = nil) {
        self.problem = problem
        self.hint = hint
    }

    var description: String {
        problem + (hint.map { "\n" + $0 } ?? "")
    }
}
