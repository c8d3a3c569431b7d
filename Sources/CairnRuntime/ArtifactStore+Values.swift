import CairnCore

extension ArtifactStore {
    /// Loads an artifact version as `type`, refusing a version stored by another serializer than
    /// the one `type` uses; `place` says where the value is wanted, for errors.
    ///
    /// Bytes found missing or changed are marked unusable in `metadata` (see ``ArtifactDamage``).
    func load(
        _ version: ArtifactVersionRecord, as type: ValueType, for place: String?, reportingDamageTo metadata: any MetadataStore
    ) async throws -> Any {
        let serializer = try type.serializer.get()
        let wanted = place.map { " for \($0)" } ?? ""
        guard serializer.identifier == version.serializer else {
            throw CairnError.typeMismatch(
                expected: "\(type.name) (stored as \(serializer.identifier))\(wanted)",
                found: "artifact '\(version.name)' version \(version.version) of type \(version.typeName), stored as \(version.serializer)")
        }
        do {
            return try await load(version.digest) { try serializer.read(from: $0) }
        } catch let error as CairnError {
            if let problem = ArtifactDamage.problem(in: error) { throw await ArtifactDamage.report(problem, of: version, in: metadata) }
            throw error
        } catch {
            throw CairnError.typeMismatch(
                expected: "\(type.name)\(wanted)", found: "artifact '\(version.name)' version \(version.version) that does not decode: \(error)")
        }
    }
}

extension ArtifactStore {
    /// Stores a value as `type` and describes the artifact version to record under `name`.
    func store(_ value: Any, as type: ValueType, name: String, outputName: String, describe: Bool) async throws -> NewArtifactVersion {
        let (version, staged) = try await stage(value, as: type, name: name, outputName: outputName, describe: describe)
        try await commit(staged)
        return version
    }

    /// Stages a value as `type` (see ``ArtifactStore/stage(_:)``) and describes the artifact version
    /// to record under `name`: with `describe` on, the serializer's metadata (plus `storage_size`) and
    /// its visualizations, which are stored beside it.
    func stage(
        _ value: Any, as type: ValueType, name: String, outputName: String, describe: Bool
    ) async throws -> (NewArtifactVersion, StagedBlob) {
        let serializer = try type.serializer.get()
        let staged = try await stage { try serializer.write(value, to: $0) }
        let blob = staged.blob
        var version = NewArtifactVersion(
            outputName: outputName, name: name, digest: blob.digest, typeName: type.name, serializer: serializer.identifier,
            serializerVersion: serializer.version, size: blob.size)
        if describe {
            do {
                let (metadata, visualizations) = serializer.describe(value)
                version.metadata = metadata.merging(["storage_size": .number(Double(blob.size))]) { _, size in size }
                for visualization in visualizations {
                    let stored = try await store { try $0.write(visualization.data) }
                    version.visualizations.append(VisualizationRecord(kind: visualization.kind, digest: stored.digest))
                }
            } catch {
                await discard(staged)
                throw error
            }
        }
        return (version, staged)
    }
}
