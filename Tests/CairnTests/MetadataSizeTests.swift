import Cairn
import CairnTesting
import Foundation
import GRDB
import Testing

// Steps shaped like the quickstart's: a load, a split and a scaling (two outputs each), three
// trainings and their evaluations, a fan-in that picks the best and a report that reads them all.

@Step
func sizedLoad(name: String) -> Dataset {
    Dataset(rows: (0..<150).map(Double.init))
}

@Step
func sizedSplit(data: Dataset, testFraction: Double, seed: Int) -> (train: Dataset, test: Dataset) {
    let cut = Int(Double(data.rows.count) * (1 - testFraction))
    return (Dataset(rows: Array(data.rows[..<cut])), Dataset(rows: Array(data.rows[cut...])))
}

@Step
func sizedStandardise(train: Dataset, test: Dataset) -> (train: Dataset, test: Dataset) {
    (train, test)
}

@Step
func sizedTrain(data: Dataset, learningRate: Double, epochs: Int) -> Model {
    Model(weight: learningRate * Double(epochs))
}

@Step
func sizedEvaluate(model: Model, data: Dataset) -> Double {
    model.weight / Double(data.rows.count)
}

@Step
func sizedSelectBest(scores: [Double]) -> Double {
    scores.max() ?? 0
}

@Step
func sizedReport(best: Double, scores: [Double]) -> String {
    "best \(best) of \(scores)"
}

/// The quickstart's parameters, so that each run records a configuration of the same size.
struct QuickstartLikeParameters: Codable, Sendable {
    var dataset = "iris"
    var testFraction = 0.25
    var seed = 42
    var learningRates = [0.05, 0.5]
    var epochs = 300
    var neighbours = 7
}

@Suite("The size of a run's metadata", .timeLimit(.minutes(2)))
struct MetadataSizeTests {
    /// 11 steps linked as the quickstart's are: 19 inputs, 13 outputs, 18 parents.
    static let pipeline = Pipeline("iris_training", parameters: QuickstartLikeParameters()) { parameters in
        let data = sizedLoadStep(name: parameters.dataset)
        let split = sizedSplitStep(data: data, testFraction: parameters.testFraction, seed: parameters.seed)
        let scaled = sizedStandardiseStep(train: split.train, test: split.test)
        var scores: [Handle<Double>] = []
        for rate: Double in parameters.learningRates {
            let model = sizedTrainStep(data: scaled.train, learningRate: .constant(rate), epochs: parameters.epochs)
            scores.append(sizedEvaluateStep(model: model, data: scaled.test))
        }
        let neighbours = sizedTrainStep(data: scaled.train, learningRate: 1, epochs: parameters.neighbours)
        scores.append(sizedEvaluateStep(model: neighbours, data: scaled.test))
        let best = sizedSelectBestStep(scores: .gathering(scores))
        let summary = sizedReportStep(best: best, scores: .gathering(scores))
        return ["best": best, "report": summary]
    }

    /// The bytes of records in the SQLite file, by table and index: the payload SQLite's `dbstat`
    /// counts, what the rows and index entries hold, without the free space of their pages.
    static func payload(ofStoreAt home: URL) throws -> [String: Int] {
        let queue = try DatabaseQueue(path: home.appending(path: "metadata.sqlite").path)
        defer { try? queue.close() }
        return try queue.read { db in
            try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT name, SUM(payload) AS bytes FROM dbstat GROUP BY name").map {
                    ($0["name"] as String, $0["bytes"] as Int)
                })
        }
    }

    @Test("a cached rerun of a pipeline like the quickstart (11 steps) adds less than 8 KB of records")
    func cachedRerun() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let first = try await Self.pipeline.run(on: store.stack)
        #expect(try await first.steps.count == 11)
        let before = try Self.payload(ofStoreAt: store.home)
        let reruns = 20
        for _ in 0..<reruns {
            let rerun = try await Self.pipeline.run(on: store.stack)
            #expect(try await rerun.steps.allSatisfy { $0.status == .cached })
        }
        let after = try Self.payload(ofStoreAt: store.home)
        let added = after.map { ($0.key, ($0.value - (before[$0.key] ?? 0)) / reruns) }.filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }
        let perRun = added.reduce(0) { $0 + $1.1 }
        #expect(perRun < 8 * 1024, "bytes per cached rerun: \(perRun), \(added.map { "\($0.0) \($0.1)" }.joined(separator: ", "))")
    }
}
