/// What `cairn secret rotate-key` did: which key wraps every secret now, and how many it re-wrapped.
public struct KeyRotation: Sendable, Equatable, Codable {
    /// The identifier of the new master key.
    public var keyID: String
    /// The identifiers of the keys it replaced.
    public var previousKeyIDs: [String]
    /// How many secrets were re-wrapped.
    public var rewrapped: Int
}
