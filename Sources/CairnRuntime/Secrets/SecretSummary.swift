public import Foundation

/// What can be said of a secret without its values: for `cairn secret list`, and without a master key.
public struct SecretSummary: Sendable, Equatable, Codable {
    /// The secret's name.
    public var name: String
    /// Its keys, sorted.
    public var keys: [String]
    /// Its version: 1 when created, one more at each update.
    public var version: Int
    /// The identifier of the master key that wraps its data key.
    public var masterKeyID: String
    /// When it was created.
    public var createdAt: Date
    /// When its current version was written.
    public var updatedAt: Date
}
