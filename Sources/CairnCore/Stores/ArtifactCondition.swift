/// Whether the bytes an artifact store holds under a digest can be used, as
/// ``ArtifactStore/check(_:)`` finds them.
public enum ArtifactCondition: Sendable, Equatable {
    /// The bytes are there and hash to their digest.
    case intact
    /// No bytes are stored under the digest.
    case missing
    /// The bytes are there but changed: the reason says how (`its bytes hash to 3f2a…`).
    case damaged(String)

    /// Why the bytes cannot be used, or `nil` when they are intact.
    public var problem: String? {
        switch self {
        case .intact: nil
        case .missing: "its bytes are missing from the artifact store"
        case .damaged(let reason): "its bytes changed on disk: \(reason)"
        }
    }
}
