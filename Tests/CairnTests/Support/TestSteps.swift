import Cairn
import CairnFixturePipelines
import Foundation

// Steps used by the runtime tests.

struct Dataset: Codable, Sendable, Equatable {
    var rows: [Double]
}

struct Model: Codable, Sendable, Equatable {
    var weight: Double
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
}

@Step
func makeDataset(size: Int) -> Dataset {
    Dataset(rows: (0..<size).map(Double.init))
}

@Step
func fit(data: Dataset, rate: Double) -> Model {
    Model(weight: data.rows.reduce(0, +) * rate)
}

@Step
func pause(milliseconds: Int, label: String) async throws -> String {
    try await Task.sleep(for: .milliseconds(milliseconds))
    return label
}

@Step
func explode(model: Model) throws -> Model {
    throw TestFailure(description: "exploded on purpose")
}

@Step
func after(model: Model) -> Double {
    model.weight
}

@Step
func sum(values: [Double]) -> Double {
    values.reduce(0, +)
}

@Step
func constant(value: Int) -> Int {
    value
}

@Step
func noOutput(value: Int) {}

@Fingerprinted
func helperUsedByStep(_ value: Double) -> Double {
    value + 1
}

/// Blocks its thread, as synchronous user code does (a training loop, a blocking read, a call into C).
@Step
func block(milliseconds: Int, label: String) -> String {
    Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
    return label
}

/// Blocks its thread at a ``Gate`` until the test opens it.
@Step
func waitAtGate(path: String, label: String) -> String {
    Gate.pass(path, as: label)
    return label
}

/// A step whose single output is named where it is declared, and stored under an artifact name of its own.
@Step(output: "model", artifacts: ["model": "{pipeline}_model"])
func trainNamed(data: Dataset) -> Model {
    Model(weight: data.rows.reduce(0, +))
}

/// A step whose output is named but stored under the default artifact name.
@Step(output: "greeting")
func greet(name: String) -> String {
    "Hello, \(name)!"
}
