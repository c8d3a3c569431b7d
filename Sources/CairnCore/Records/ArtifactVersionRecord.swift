public import Foundation

/// A recorded, immutable version of a named artifact.
public struct ArtifactVersionRecord: Codable, Sendable, Equatable, Identifiable {
    /// The version's unique identifier.
    public var id: String
    /// The artifact's name (`training::train::output`).
    public var name: String
    /// The version number, counting from 1 per name.
    public var version: Int
    /// The SHA-256 digest of the bytes: where the artifact store keeps them.
    public var digest: String
    /// The Swift type of the value.
    public var typeName: String
    /// The serializer's identifier (`cairn.json`).
    public var serializer: String
    /// The serializer's format version.
    public var serializerVersion: Int
    /// The size of the bytes.
    public var size: Int64
    /// When the version was created.
    public var createdAt: Date
    /// The step run that produced it, if a step did.
    public var producerStepRunID: String?
    /// The output name of the producing step.
    public var outputName: String?
    /// Why its bytes cannot be used, when a load or `cairn artifact verify` found them missing or
    /// changed; `nil` while they are believed intact. A cache hit and a resume never reuse such a
    /// version: its producer runs again.
    public var unusableReason: String?

    /// Whether its bytes are believed intact: no load found them missing or changed.
    public var isUsable: Bool { unusableReason == nil }

    /// The name and number by which people know it (`training::train::model:3`).
    public var reference: String { "\(name):\(version)" }

    /// Makes a record.
    public init(
        id: String, name: String, version: Int, digest: String, typeName: String, serializer: String, serializerVersion: Int,
        size: Int64, createdAt: Date, producerStepRunID: String? = nil, outputName: String? = nil, unusableReason: String? = nil
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.digest = digest
        self.typeName = typeName
        self.serializer = serializer
        self.serializerVersion = serializerVersion
        self.size = size
        self.createdAt = createdAt
        self.producerStepRunID = producerStepRunID
        self.outputName = outputName
        self.unusableReason = unusableReason
    }

    /// The record of `new`, numbered `number`: what a store records, and, numbered 0, what a step
    /// hands to its dependents before its outputs are recorded.
    public init(_ new: NewArtifactVersion, number: Int, producer: String?, createdAt: Date) {
        self.init(
            id: new.id, name: new.name, version: number, digest: new.digest, typeName: new.typeName, serializer: new.serializer,
            serializerVersion: new.serializerVersion, size: new.size, createdAt: createdAt, producerStepRunID: producer,
            outputName: producer == nil ? nil : new.outputName)
    }
}

/// What an artifact version needs to be created; the store numbers it.
public struct NewArtifactVersion: Sendable, Equatable {
    /// Its identifier, chosen by the caller (a new UUID by default), so that a step can hand the
    /// version to its dependents before it is recorded.
    public var id: String
    /// The producing step's output name.
    public var outputName: String
    /// The artifact's name.
    public var name: String
    /// The digest of the stored bytes.
    public var digest: String
    /// The Swift type of the value.
    public var typeName: String
    /// The serializer's identifier.
    public var serializer: String
    /// The serializer's format version.
    public var serializerVersion: Int
    /// The size of the bytes.
    public var size: Int64
    /// Metadata recorded with the version, automatic and user-logged.
    public var metadata: [String: JSONValue]
    /// Stored visualizations of the value.
    public var visualizations: [VisualizationRecord]

    /// Makes a request.
    public init(
        outputName: String, name: String, digest: String, typeName: String, serializer: String, serializerVersion: Int, size: Int64,
        metadata: [String: JSONValue] = [:], visualizations: [VisualizationRecord] = [], id: String = RandomIdentifier.make()
    ) {
        self.id = id
        self.outputName = outputName
        self.name = name
        self.digest = digest
        self.typeName = typeName
        self.serializer = serializer
        self.serializerVersion = serializerVersion
        self.size = size
        self.metadata = metadata
        self.visualizations = visualizations
    }
}

/// An artifact version linked to a step run as one of its inputs or outputs.
public struct ArtifactLink: Sendable, Equatable {
    /// The input or output name.
    public var name: String
    /// The position within a fan-in input.
    public var position: Int
    /// The artifact version.
    public var artifact: ArtifactVersionRecord

    /// Makes a link.
    public init(name: String, position: Int = 0, artifact: ArtifactVersionRecord) {
        self.name = name
        self.position = position
        self.artifact = artifact
    }
}

/// A recorded pipeline.
public struct PipelineRecord: Codable, Sendable, Equatable {
    /// The pipeline's name.
    public var name: String
    /// When its first run was recorded.
    public var createdAt: Date
    /// How many runs it has.
    public var runCount: Int

    /// Makes a record.
    public init(name: String, createdAt: Date, runCount: Int) {
        self.name = name
        self.createdAt = createdAt
        self.runCount = runCount
    }
}
