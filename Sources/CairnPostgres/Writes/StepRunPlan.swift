import CairnCore
import Foundation
import PostgresNIO

/// The statements that carry out a list of step run writes (``StepRunWrite``), in order: consecutive
/// starts share one insertion, and each end of a step run recorded before is a statement of its own.
struct StepRunPlan {
    /// One statement of the plan.
    enum Statement: Sendable {
        case insert(StepRunStatements.Insert)
        case finish(StepRunStatements.Finish)

        /// Runs it on a connection of the pool, as a transaction of its own.
        func execute(on client: PostgresClient) async throws -> [StepRunStatements.Row] {
            switch self {
            case .insert(let statement): try await ended(Self.collect(client.execute(statement)))
            case .finish(let statement): try await ended(Self.collect(client.execute(statement)))
            }
        }

        /// Runs it in `transaction`.
        func execute(in transaction: PostgreSQLTransaction) async throws -> [StepRunStatements.Row] {
            switch self {
            case .insert(let statement): try ended(await transaction.execute(statement))
            case .finish(let statement): try ended(await transaction.execute(statement))
            }
        }

        /// `rows`, once they show that an ended step run was in the store.
        private func ended(_ rows: [StepRunStatements.Row]) throws -> [StepRunStatements.Row] {
            if case .finish(let statement) = self, rows.first?.0 != 1 {
                throw CairnError.notFound(kind: "step run", name: statement.id, suggestion: nil)
            }
            return rows
        }

        private static func collect<Rows: AsyncSequence>(_ rows: Rows) async throws -> [Rows.Element] {
            var collected: [Rows.Element] = []
            for try await row in rows { collected.append(row) }
            return collected
        }
    }

    /// The writes, as statements to make: the documents of insertions, and the ends.
    private enum Piece {
        case insert(StepRunDocument)
        case finish(document: StepRunDocument, id: String, status: ExecutionStatus, error: String?, startedAt: Date?, endedAt: Date)
    }

    private var pieces: [Piece] = []
    /// For each write, in order, the artifact versions it creates, not yet numbered.
    private(set) var created: [[ArtifactVersionRecord]] = []
    /// The step runs started, in order: those a failed insertion may blame.
    private(set) var started: [NewStepRun] = []

    /// Adds a step run that starts and ends at once: written by an insertion, as two writes.
    mutating func start(_ stepRun: NewStepRun, endingWith outcome: StepOutcome, at date: Date) {
        let (status, error, outputs) = PostgreSQLMetadataStore.ending(outcome)
        var document = takeInsertion()
        document.add(stepRun, end: (status, error, date))
        created += [[], document.add(outputs, producer: stepRun.id, at: date)]
        pieces.append(.insert(document))
        started.append(stepRun)
    }

    /// Adds one write.
    mutating func add(_ write: StepRunWrite) throws {
        switch write {
        case .start(let stepRun):
            var document = takeInsertion()
            document.add(stepRun)
            created.append([])
            pieces.append(.insert(document))
            started.append(stepRun)
        case .end(let id, let outcome, let startedAt, let endedAt):
            let (status, error, outputs) = PostgreSQLMetadataStore.ending(outcome)
            var document = StepRunDocument()
            created.append(document.add(outputs, producer: id, at: endedAt))
            pieces.append(.finish(document: document, id: id, status: status, error: error, startedAt: startedAt, endedAt: endedAt))
        }
    }

    /// Adds a version of an artifact saved outside a pipeline: written by an insertion, as one write.
    mutating func save(_ version: NewArtifactVersion, at date: Date) {
        var document = takeInsertion()
        created.append(document.add([version], producer: nil, at: date))
        pieces.append(.insert(document))
    }

    /// The statements, in order.
    func statements() throws -> [Statement] {
        try pieces.map { piece in
            switch piece {
            case .insert(let document):
                .insert(StepRunStatements.Insert(document: try document.json()))
            case .finish(let document, let id, let status, let error, let startedAt, let endedAt):
                .finish(
                    StepRunStatements.Finish(
                        document: try document.json(), id: id, status: status, error: error, startedAt: startedAt, endedAt: endedAt))
            }
        }
    }

    /// The insertion the last piece is, taken off to be added to, or a new one.
    private mutating func takeInsertion() -> StepRunDocument {
        guard case .insert(let document) = pieces.last else { return StepRunDocument() }
        pieces.removeLast()
        return document
    }
}
