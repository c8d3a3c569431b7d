import CairnCore

/// An ANSI style for terminal output.
enum TextStyle {
    case bold, dim, red, green, yellow, cyan

    /// `text` wrapped in the style's escape codes.
    func apply(to text: String) -> String {
        let code = switch self {
        case .bold: "1"
        case .dim: "2"
        case .red: "31"
        case .green: "32"
        case .yellow: "33"
        case .cyan: "36"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    /// The style a status is shown in: green done, cyan reused, red failed, yellow under way, dim not run.
    static func of(_ status: ExecutionStatus) -> TextStyle {
        switch status {
        case .completed: .green
        case .cached: .cyan
        case .failed: .red
        case .running, .initializing, .retrying: .yellow
        case .skipped, .stopped, .retried: .dim
        }
    }
}
