/// An artifact version with everything recorded about it: its record, metadata and visualizations,
/// as another store imports it (``HistoryImport``).
public struct ArtifactVersionHistory: Sendable, Equatable {
    /// The version, with its identifier, number, producer and whether it is usable, as recorded.
    public var record: ArtifactVersionRecord
    /// Its metadata.
    public var metadata: [String: JSONValue]
    /// Its visualizations.
    public var visualizations: [VisualizationRecord]

    /// Makes a history.
    public init(record: ArtifactVersionRecord, metadata: [String: JSONValue] = [:], visualizations: [VisualizationRecord] = []) {
        self.record = record
        self.metadata = metadata
        self.visualizations = visualizations
    }
}
