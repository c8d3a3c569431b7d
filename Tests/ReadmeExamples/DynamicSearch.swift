import Cairn

struct Search: Codable, Sendable { var rates = [0.01, 0.1, 0.5] }

@Step func selectBest(scores: [Double]) -> Double { scores.max() ?? 0 }
@Step func alert(message: String) { print(message) }

let search = DynamicPipeline("search", parameters: Search()) { parameters in
    let (train, test) = splitStep(data: loadStep(path: "data.csv"), testFraction: 0.25)
    var scores: [Handle<Double>] = []
    for rate in parameters.rates {                                      // a map: one call per rate
        let model = trainStep.named("train_\(scores.count)")(data: train, learningRate: rate)
        scores.append(evaluateStep(model: model, data: test))           // these run in parallel
    }
    let best = selectBestStep(scores: .gathering(scores))              // a fan-in
    if try await best.value < 0.9 {                                    // a value read mid-pipeline
        _ = alertStep(message: "no model is good enough")
    }
    return ["best": best]
}

/// Runs the README's dynamic pipeline.
public func runSearch() async throws {
    try await search.run()
}
