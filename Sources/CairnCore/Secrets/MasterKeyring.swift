import Foundation

/// The master keys at hand: the current one, which seals, and older ones, which still open the
/// rows a rotation has not re-wrapped yet.
public struct MasterKeyring: Sendable, Equatable {
    /// The key that wraps new data keys.
    public var current: MasterKey
    /// Keys that only unwrap.
    public var retired: [MasterKey]

    /// Makes a keyring.
    public init(current: MasterKey, retired: [MasterKey] = []) {
        self.current = current
        self.retired = retired.filter { $0.id != current.id }
    }

    /// Reads keys written `ID:BASE64`, separated by lines or commas, the current one first; blank
    /// lines and lines starting with `#` are skipped.
    ///
    /// - Parameter source: Where the text came from, for errors (a file's path, a variable's name).
    public init(parsing text: String, source: String) throws {
        let entries = text.split(whereSeparator: { $0 == "\n" || $0 == "," })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        let keys = try entries.map { try MasterKey(parsing: $0, source: source) }
        guard let first = keys.first else { throw SecretError.invalidMasterKey(source: source, reason: "it holds no key") }
        self.init(current: first, retired: Array(keys.dropFirst()))
    }

    /// Every key, the current one first.
    public var all: [MasterKey] { [current] + retired }

    /// The key named `id`, if the keyring has it.
    public func key(id: String) -> MasterKey? {
        all.first { $0.id == id }
    }

    /// The keys as a key file holds them: one `ID:BASE64` a line, the current one first.
    public var text: String {
        all.map(\.text).joined(separator: "\n") + "\n"
    }
}
