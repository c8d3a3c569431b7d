public import CairnCore

/// Loads artifact versions as typed values, outside pipelines.
public struct ArtifactLoader: Sendable {
    /// The stack to read from.
    public let stack: Stack

    /// Makes a loader.
    public init(stack: Stack) {
        self.stack = stack
    }

    /// Loads a version of a named artifact (`nil` for the latest) as `T`.
    public func load<T>(_ name: String, version: Int? = nil, as type: T.Type = T.self) async throws -> T {
        guard let record = try await stack.metadata.artifactVersion(named: name, version: version) else {
            throw CairnError.notFound(kind: "artifact", name: version.map { "\(name):\($0)" } ?? name, suggestion: nil)
        }
        return try await load(record, as: type)
    }

    /// Loads an artifact version as `T`, with the serializer it was stored with.
    public func load<T>(_ version: ArtifactVersionRecord, as type: T.Type = T.self) async throws -> T {
        let serializer = try SerializerRegistry.serializer(for: T.self).get()
        guard serializer.identifier == version.serializer else {
            throw CairnError.typeMismatch(
                expected: "\(String(reflecting: T.self)) (stored as \(serializer.identifier))",
                found: "artifact '\(version.name)' version \(version.version) of type \(version.typeName), stored as \(version.serializer)")
        }
        let value = try await stack.artifacts.load(version.digest) { try serializer.read(from: $0) }
        guard let typed = value as? T else {
            throw CairnError.typeMismatch(expected: String(reflecting: T.self), found: version.typeName)
        }
        return typed
    }
}
