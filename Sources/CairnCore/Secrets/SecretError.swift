/// Why a secret cannot be stored, read or used. No case ever holds a secret's value.
public enum SecretError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A secret with this name exists already.
    case exists(String)
    /// No secret has this name; `suggestion` is the closest name that exists.
    case notFound(String, suggestion: String?)
    /// No master key is configured, or its file or variable cannot be used; `reason` says which and what to do.
    case noMasterKey(reason: String)
    /// A master key given is malformed.
    case invalidMasterKey(source: String, reason: String)
    /// The secret is wrapped by a master key that is not among those given.
    case unknownMasterKey(secret: String, keyID: String, known: [String])
    /// The master key named by the secret's row does not open it: the key is not the one the row
    /// was sealed with, or the row was changed or moved.
    case undecryptable(secret: String, keyID: String)
    /// A key name that cannot be an environment variable's name.
    case invalidKey(secret: String, key: String)
    /// A secret without keys.
    case empty(String)
    /// Other writers kept changing the secret while it was updated.
    case conflict(String)
    /// A step needs a secret that cannot be had; `reason` is the secret's error.
    case unavailable(secret: String, step: String, reason: String)

    /// The error as a sentence naming the secret and what to do.
    public var description: String {
        switch self {
        case .exists(let name):
            "a secret named '\(name)' already exists; change it with `cairn secret update \(name)`"
        case .notFound(let name, let suggestion):
            "no secret named '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "; create it with `cairn secret create \(name) KEY=VALUE`")
        case .noMasterKey(let reason):
            "no master key for secrets: \(reason)"
        case .invalidMasterKey(let source, let reason):
            "the master key in \(source) cannot be used: \(reason)"
        case .unknownMasterKey(let secret, let keyID, let known):
            "secret '\(secret)' is encrypted with master key '\(keyID)', which is not among the keys given ("
                + (known.isEmpty ? "none" : known.joined(separator: ", ")) + ")"
        case .undecryptable(let secret, let keyID):
            "secret '\(secret)' cannot be decrypted with master key '\(keyID)': the key is not the one it was encrypted with, "
                + "or its stored row was changed or copied from another secret or version"
        case .invalidKey(let secret, let key):
            "secret '\(secret)' cannot have the key \(key.debugDescription): a key becomes an environment variable's name, "
                + "so it is letters, digits and '_', not starting with a digit"
        case .empty(let name):
            "secret '\(name)' has no keys; give at least one KEY=VALUE"
        case .conflict(let name):
            "secret '\(name)' kept changing while it was updated; try again"
        case .unavailable(let secret, let step, let reason):
            "step '\(step)' needs secret '\(secret)', which cannot be read: \(reason)"
        }
    }
}
