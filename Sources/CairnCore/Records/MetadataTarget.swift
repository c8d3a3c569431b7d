/// What metadata can be logged on.
public enum MetadataTarget: Sendable, Hashable {
    /// A run.
    case run(id: String)
    /// A step run.
    case stepRun(id: String)
    /// An artifact version.
    case artifactVersion(id: String)

    /// The kind of entity, as stored (`run`, `stepRun`, `artifactVersion`).
    public var kind: String {
        switch self {
        case .run: "run"
        case .stepRun: "stepRun"
        case .artifactVersion: "artifactVersion"
        }
    }

    /// The entity's identifier.
    public var id: String {
        switch self {
        case .run(let id), .stepRun(let id), .artifactVersion(let id): id
        }
    }
}

/// A rendering of an artifact for people, stored beside it: a table, a report, a chart.
public struct Visualization: Sendable, Equatable {
    /// The format.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A format, named by its usual file extension.
        case csv, markdown, html, json, svg, png
    }

    /// The format of the bytes.
    public var kind: Kind
    /// The bytes.
    public var data: [UInt8]

    /// Makes a visualization.
    public init(kind: Kind, data: [UInt8]) {
        self.kind = kind
        self.data = data
    }
}

/// A stored visualization of an artifact version.
public struct VisualizationRecord: Sendable, Equatable, Codable {
    /// The format.
    public var kind: Visualization.Kind
    /// The digest of its bytes in the artifact store.
    public var digest: String

    /// Makes a record.
    public init(kind: Visualization.Kind, digest: String) {
        self.kind = kind
        self.digest = digest
    }
}
