import Foundation

/// The rules for names users give to pipelines, steps, runs and artifacts.
///
/// Names end up in file names, command lines and URLs, so they are restricted to a safe alphabet:
/// ASCII letters, digits, `_`, `-` and `.`, plus `:` in artifact and run names. This also rules out
/// Unicode names that would normalise to an existing one.
public enum Names {
    /// The longest name accepted.
    public static let maximumLength = 200

    /// Checks `name`, throwing an error that says what is wrong with it.
    public static func validate(_ name: String, kind: String, allowColon: Bool = false) throws {
        func reject(_ reason: String) -> CairnError {
            .invalidName(kind: kind, name: name, reason: reason)
        }
        guard !name.isEmpty else { throw reject("a name cannot be empty") }
        guard name.utf8.count <= maximumLength else { throw reject("a name is at most \(maximumLength) characters long") }
        guard name != ".", name != "..", !name.contains("..") else { throw reject("a name cannot contain '..'") }
        for scalar in name.unicodeScalars where !isAllowed(scalar, allowColon: allowColon) {
            let shown = scalar.value < 0x20 || scalar.value == 0x7F ? String(format: "U+%04X", scalar.value) : "'\(scalar)'"
            throw reject("\(shown) is not allowed; use letters, digits, '_', '-', '.'\(allowColon ? " and ':'" : "")")
        }
    }

    private static func isAllowed(_ scalar: Unicode.Scalar, allowColon: Bool) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".": true
        case ":": allowColon
        default: false
        }
    }
}
