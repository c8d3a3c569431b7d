import CairnCore
import Foundation

/// The rows one statement writes for step runs, as one JSON document: new step runs with their
/// input, parent and output links, and new artifact versions with their metadata and visualizations.
///
/// A statement reads each list with `jsonb_to_recordset`, so that any number of rows, with any of
/// their columns `NULL`, travel as one parameter, and a step run costs one round trip however many
/// inputs and outputs it has. Keys are the columns' names; dates are microseconds since
/// 2000-01-01, as postgres-nio sends a `Date` (``microseconds(_:)``).
struct StepRunDocument: Encodable {
    struct StepRun: Encodable {
        var id, runID, invocation, stepName, status: String
        var queuedAt: Int64?
        var startedAt: Int64
        var endedAt: Int64?
        var parameters, fingerprint: String
        var error, cachedFrom: String?
        var attempt: Int
        var cacheKey, cacheIngredients: String?
        var ord: Int
    }

    struct Input: Encodable {
        var stepRunID, name: String
        var position: Int
        var artifactVersionID: String
    }

    struct Parent: Encodable {
        var stepRunID, parentStepRunID: String
        var position: Int
    }

    struct Output: Encodable {
        var stepRunID, name, artifactVersionID: String
    }

    struct Version: Encodable {
        var id, name, digest, typeName, serializer: String
        var serializerVersion: Int
        var size: Int64
        var createdAt: Int64
        var producerStepRunID, outputName: String?
        var ord: Int
    }

    struct Metadata: Encodable {
        var entityID, key, value: String
    }

    struct Visualization: Encodable {
        var artifactVersionID, kind, digest: String
    }

    var stepRuns: [StepRun] = []
    var inputs: [Input] = []
    var parents: [Parent] = []
    var outputs: [Output] = []
    var versions: [Version] = []
    var metadata: [Metadata] = []
    var visualizations: [Visualization] = []

    /// Adds a new step run with its links; `end` records it ended already: with this status and
    /// error, at this date.
    mutating func add(_ stepRun: NewStepRun, end: (status: ExecutionStatus, error: String?, date: Date)? = nil) {
        let startedAt = Self.microseconds(stepRun.startedAt)
        let endedAt = end.map { Self.microseconds($0.date) } ?? (stepRun.status.isFinished ? startedAt : nil)
        stepRuns.append(
            StepRun(
                id: stepRun.id, runID: stepRun.runID, invocation: stepRun.invocation, stepName: stepRun.stepName,
                status: (end?.status ?? stepRun.status).rawValue, queuedAt: stepRun.queuedAt.map(Self.microseconds), startedAt: startedAt,
                endedAt: endedAt, parameters: CanonicalJSON.string(encoding: stepRun.parameters), fingerprint: stepRun.fingerprint,
                error: end.map(\.error) ?? stepRun.error, cachedFrom: stepRun.cachedFrom, attempt: stepRun.attempt, cacheKey: stepRun.cacheKey,
                cacheIngredients: stepRun.cacheIngredients, ord: stepRuns.count))
        inputs += stepRun.inputs.map {
            Input(stepRunID: stepRun.id, name: $0.name, position: $0.position, artifactVersionID: $0.artifactVersionID)
        }
        parents += stepRun.parents.enumerated().map { Parent(stepRunID: stepRun.id, parentStepRunID: $1, position: $0) }
        outputs += stepRun.reusedOutputs.sorted { $0.key < $1.key }.map {
            Output(stepRunID: stepRun.id, name: $0.key, artifactVersionID: $0.value)
        }
    }

    /// Adds new artifact versions, each output of `producer` if there is one, created at `date`,
    /// and returns their records numbered 0: the statement numbers them.
    mutating func add(_ newVersions: [NewArtifactVersion], producer: String?, at date: Date) -> [ArtifactVersionRecord] {
        newVersions.map { new in
            let record = ArtifactVersionRecord(new, number: 0, producer: producer, createdAt: date)
            versions.append(
                Version(
                    id: record.id, name: record.name, digest: record.digest, typeName: record.typeName, serializer: record.serializer,
                    serializerVersion: record.serializerVersion, size: record.size, createdAt: Self.microseconds(date),
                    producerStepRunID: producer, outputName: record.outputName, ord: versions.count))
            if let producer {
                outputs.append(Output(stepRunID: producer, name: new.outputName, artifactVersionID: new.id))
            }
            metadata += new.metadata.sorted { $0.key < $1.key }.map {
                Metadata(entityID: new.id, key: $0.key, value: CanonicalJSON.string(encoding: $0.value))
            }
            // A kind given twice keeps its last digest, as one replace after another would.
            var byKind: [String: String] = [:]
            for visualization in new.visualizations { byKind[visualization.kind.rawValue] = visualization.digest }
            visualizations += byKind.sorted { $0.key < $1.key }.map { Visualization(artifactVersionID: new.id, kind: $0.key, digest: $0.value) }
            return record
        }
    }

    /// The document, as text for a `jsonb` parameter.
    func json() throws -> String {
        String(decoding: try Self.encoder.encode(self), as: UTF8.self)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()

    /// A date as postgres-nio binds it: whole microseconds since 2000-01-01 00:00 UTC, rounded toward zero.
    static func microseconds(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince(Date(timeIntervalSince1970: 946_684_800)) * 1_000_000)
    }

    /// SQL that turns a column of ``microseconds(_:)`` back into a `timestamptz`.
    static func time(_ column: String) -> String {
        "(timestamptz '2000-01-01 00:00:00+00' + \(column) * interval '1 microsecond')"
    }
}
