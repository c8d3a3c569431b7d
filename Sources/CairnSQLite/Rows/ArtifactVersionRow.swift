import CairnCore
import Foundation
import GRDB

/// A row of the `artifactVersion` table, as inserted.
///
/// Rows are read back as ``ArtifactVersionRecord`` through ``DecodedRow``.
struct ArtifactVersionRow: Encodable, PersistableRecord {
    static let databaseTableName = "artifactVersion"

    var id: String
    var name: String
    var version: Int
    var digest: String
    var typeName: String
    var serializer: String
    var serializerVersion: Int
    var size: Int64
    var createdAt: Date
    var producerStepRunID: String?
    var outputName: String?

    /// The row of a step's new output, numbered `version`.
    init(id: String, version: Int, output: NewArtifactVersion, producerStepRunID: String?, createdAt: Date) {
        self.id = id
        name = output.name
        self.version = version
        digest = output.digest
        typeName = output.typeName
        serializer = output.serializer
        serializerVersion = output.serializerVersion
        size = output.size
        self.createdAt = createdAt
        self.producerStepRunID = producerStepRunID
        outputName = producerStepRunID == nil ? nil : output.outputName
    }
}
