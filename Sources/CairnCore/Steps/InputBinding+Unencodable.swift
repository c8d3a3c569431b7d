extension InputBinding {
    /// What starts a constant that stands for a value that could not be encoded, followed by the
    /// error's text. Canonical JSON never holds it: JSON escapes every control character, U+0000 too.
    private static let unencodableMarker = "\u{0}unencodable:"

    /// A constant that carries the error of encoding a value instead of its JSON, for
    /// ``Handle/constant(_:)``, which cannot throw.
    static func unencodable(_ error: any Error) -> InputBinding {
        .constant(json: unencodableMarker + "\(error)")
    }

    /// The error text of a constant made by ``unencodable(_:)``, here or in a list; `nil` for bindings
    /// whose values were all encoded.
    var encodingFailure: String? {
        for case .constant(let json) in leaves where json.hasPrefix(Self.unencodableMarker) {
            return String(json.dropFirst(Self.unencodableMarker.count))
        }
        return nil
    }
}
