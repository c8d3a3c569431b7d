/// Key-value metadata logged on runs, step runs and artifact versions: what ZenML calls run metadata.
public protocol RunMetadataStore: Sendable {
    /// Sets key-value metadata on a run, step run or artifact version; a key logged again is replaced.
    func logMetadata(_ values: [String: JSONValue], on target: MetadataTarget) async throws

    /// The metadata of a run, step run or artifact version.
    func metadata(of target: MetadataTarget) async throws -> [String: JSONValue]
}
