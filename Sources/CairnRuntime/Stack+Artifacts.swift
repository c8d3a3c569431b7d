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
        var version = try await artifacts.store(value, as: ValueType(T.self), name: name, outputName: "", describe: true)
        version.metadata.merge(metadata) { _, user in user }
        return try await self.metadata.createArtifactVersion(version)
    }

    /// Loads a version of a named artifact (`nil` for the latest) as `T`.
    public func loadArtifact<T>(_ name: String, version: Int? = nil, as type: T.Type = T.self) async throws -> T {
        guard let record = try await metadata.artifactVersion(named: name, version: version) else {
            throw CairnError.notFound(kind: "artifact", name: version.map { "\(name):\($0)" } ?? name, suggestion: nil)
        }
        return try await loadArtifact(record, as: type)
    }

    /// What a step run logged (its `StepContext` logger's lines, and a step process's standard output
    /// and error), or `nil` if it logged nothing.
    public func log(of stepRun: StepRunRecord) async throws -> String? {
        guard let digest = stepRun.logDigest else { return nil }
        return try await artifacts.load(digest) { String(decoding: try $0.readToEnd(), as: UTF8.self) }
    }

    /// Loads an artifact version as `T`, with the serializer it was stored with.
    ///
    /// Bytes found missing or changed throw ``CairnError/unusableArtifact(artifact:origin:reason:)``,
    /// and the version is marked unusable, so that the next run recomputes it.
    public func loadArtifact<T>(_ version: ArtifactVersionRecord, as type: T.Type = T.self) async throws -> T {
        let value = try await artifacts.load(version, as: ValueType(T.self), for: nil, reportingDamageTo: metadata)
        guard let typed = value as? T else {
            throw CairnError.typeMismatch(expected: String(reflecting: T.self), found: version.typeName)
        }
        return typed
    }
}
