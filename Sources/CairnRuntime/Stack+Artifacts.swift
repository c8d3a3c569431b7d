public import CairnCore
import Foundation

extension Stack {
    /// Saves a value as a new version of a named artifact, outside any pipeline.
    ///
    /// ```swift
    /// let version = try await stack.saveArtifact(labels, name: "labels", metadata: ["source": "manual"])
    /// ```
    @discardableResult
    public func saveArtifact<T: Sendable>(_ value: T, name: String, metadata: [String: JSONValue] = [:]) async throws -> ArtifactVersionRecord {
        try Names.validate(name, kind: "artifact", allowColon: true)
        let serializer = try SerializerRegistry.serializer(for: T.self).get()
        let blob = try await artifacts.store { try serializer.write(value, to: $0) }
        let described = serializer.describe(value)
        var visualizations: [VisualizationRecord] = []
        for visualization in described.visualizations {
            let stored = try await artifacts.store { try $0.write(visualization.data) }
            visualizations.append(VisualizationRecord(kind: visualization.kind, digest: stored.digest))
        }
        return try await self.metadata.createArtifactVersion(NewArtifactVersion(
            outputName: "", name: name, digest: blob.digest, typeName: String(reflecting: T.self), serializer: serializer.identifier,
            serializerVersion: serializer.version, size: blob.size,
            metadata: described.metadata.merging(["storage_size": .number(Double(blob.size))]) { _, size in size }
                .merging(metadata) { _, user in user },
            visualizations: visualizations))
    }

    /// Loads a version of a named artifact (`nil` for the latest) as `T`.
    public func loadArtifact<T>(_ name: String, version: Int? = nil, as type: T.Type = T.self) async throws -> T {
        guard let record = try await metadata.artifactVersion(named: name, version: version) else {
            throw CairnError.notFound(kind: "artifact", name: version.map { "\(name):\($0)" } ?? name, suggestion: nil)
        }
        return try await loadArtifact(record, as: type)
    }

    /// Loads an artifact version as `T`, with the serializer it was stored with.
    public func loadArtifact<T>(_ version: ArtifactVersionRecord, as type: T.Type = T.self) async throws -> T {
        let value = try await artifacts.load(version, as: ValueType(T.self), for: nil)
        guard let typed = value as? T else {
            throw CairnError.typeMismatch(expected: String(reflecting: T.self), found: version.typeName)
        }
        return typed
    }
}
