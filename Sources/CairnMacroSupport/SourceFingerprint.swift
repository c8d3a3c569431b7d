import Crypto
public import SwiftSyntax

/// The fingerprint of a declaration's source: what caching compares to notice a code change.
///
/// Attributes are removed first, so editing `@Step(...)` options does not change it; comments and
/// whitespace are trivia and are dropped, and tokens are joined by single spaces.
public enum SourceFingerprint {
    /// The normalised source text of a function, without its attributes.
    public static func normalizedSource(of function: FunctionDeclSyntax) -> String {
        let stripped = function.with(\.attributes, AttributeListSyntax([]))
        return stripped.tokens(viewMode: .sourceAccurate).map(\.text).joined(separator: " ")
    }

    /// The SHA-256 digest of the normalised source, in lowercase hexadecimal.
    public static func fingerprint(of function: FunctionDeclSyntax) -> String {
        let digest = SHA256.hash(data: Array(normalizedSource(of: function).utf8))
        return digest.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
    }
}

extension FunctionDeclSyntax {
    /// The function's access modifier followed by a space (`public `), or nothing: what generated
    /// declarations beside it repeat, so that they are as visible as the function.
    var accessPrefix: String {
        modifiers.first { ["public", "package", "internal", "fileprivate", "private"].contains($0.name.text) }
            .map { $0.name.text + " " } ?? ""
    }
}
