import CairnCore
import GRDB

/// A record whose identifiers and digests the store keeps compactly (``StoredIdentifier``,
/// ``StoredDigest``), read whole with ``DecodedRow``.
///
/// ``DecodedRow`` reads the values of ``storedColumns`` first, decodes the record, which reads those
/// columns as if they held text, and then sets them with ``readStoredColumns(_:)``. Doing it in
/// Swift keeps the statements plain (`SELECT *`) and lets decoding read the statement's row as it
/// is, which is what a record read for every step costs least.
protocol StoredRecord: Decodable {
    /// The columns it keeps compactly.
    static var storedColumns: [String] { get }

    /// Sets the properties kept compactly from the values of ``storedColumns``, in their order.
    mutating func readStoredColumns(_ values: [DatabaseValue])
}

extension RunRecord: StoredRecord {
    static let storedColumns = ["id"]

    mutating func readStoredColumns(_ values: [DatabaseValue]) {
        id = StoredIdentifier.text(values[0]) ?? id
    }
}

extension StepRunRecord: StoredRecord {
    static let storedColumns = ["id", "runID", "cachedFrom", "fingerprint", "cacheKey"]

    mutating func readStoredColumns(_ values: [DatabaseValue]) {
        id = StoredIdentifier.text(values[0]) ?? id
        runID = StoredIdentifier.text(values[1]) ?? runID
        cachedFrom = StoredIdentifier.text(values[2])
        fingerprint = StoredDigest.text(values[3]) ?? fingerprint
        cacheKey = StoredDigest.text(values[4])
    }
}

extension ArtifactVersionRecord: StoredRecord {
    static let storedColumns = ["id", "producerStepRunID"]

    mutating func readStoredColumns(_ values: [DatabaseValue]) {
        id = StoredIdentifier.text(values[0]) ?? id
        producerStepRunID = StoredIdentifier.text(values[1])
    }
}

extension StepRunReference: StoredRecord {
    static let storedColumns = ["stepRunID", "runID"]

    mutating func readStoredColumns(_ values: [DatabaseValue]) {
        stepRunID = StoredIdentifier.text(values[0]) ?? stepRunID
        runID = StoredIdentifier.text(values[1]) ?? runID
    }
}

extension PipelineRecord: StoredRecord {
    /// None: a pipeline is known by its name.
    static let storedColumns: [String] = []

    func readStoredColumns(_ values: [DatabaseValue]) {}
}
