import Foundation
import Testing

@Suite("Quickstart", .timeLimit(.minutes(2)))
struct QuickstartTests {
    /// The quickstart executable, built beside the fixtures.
    let executable = URL(filePath: FixtureExecutable.path).deletingLastPathComponent().appending(path: "quickstart").path

    @Test("the quickstart trains three models on iris, each in the expected accuracy range, and reports the best")
    func accuracy() async throws {
        let home = FileManager.default.temporaryDirectory.appending(path: "cairn-quickstart-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let (status, output) = try await ChildProcess.run(executable, ["run", "iris_training", "--store", home.path])
        #expect(status == 0, "\(output)")
        // Rows of the report: | logistic(lr=0.5) | 1.000 |
        let accuracies = output.split(separator: "\n").compactMap { line -> (String, Double)? in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 2, let accuracy = Double(cells[1]) else { return nil }
            return (cells[0], accuracy)
        }
        #expect(accuracies.map(\.0) == ["logistic(lr=0.05)", "logistic(lr=0.5)", "knn(k=7)"])
        // The data README: scikit-learn's LogisticRegression reaches about 0.95–1.0 on iris.
        let best = try #require(accuracies.map(\.1).max())
        #expect(best >= 0.95 && best <= 1.0)
        #expect(accuracies.allSatisfy { $0.1 >= 0.9 }, "\(accuracies)")
        #expect(output.contains("Best: logistic(lr=0.5), accuracy 1.000"))
        for step in ["loadDataset", "split", "standardise", "trainLogistic_2", "evaluate_3", "selectBest", "report"] {
            #expect(output.contains("\(step)  ") || output.contains("\(step) completed"), "the summary lists \(step)")
        }
        #expect(output.contains("completed in"))
        #expect(output.contains("Inspect it with: swift run cairn runs show iris_training-"))
    }

    @Test(
        "parameters the quickstart cannot run are refused before any step, with the reason, and record nothing",
        arguments: [
            (["--param", "seed=-1"], "seed must be 0 or more, found -1"),
            (["--param", "testFraction=1"], "testFraction must be between 0 and 1, both excluded, found 1.0"),
            (["--param", "epochs=0"], "epochs must be 1 or more, found 0"),
            (["--param", "neighbours=0"], "neighbours must be 1 or more, found 0"),
            (["--param", "dataset=wine"], "dataset must be one of iris, found 'wine'"),
            (["--config", "nan.yaml"], "testFraction must be between 0 and 1, both excluded, found nan"),
        ])
    func refusedParameters(arguments: [String], reason: String) async throws {
        let home = FileManager.default.temporaryDirectory.appending(path: "cairn-quickstart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let configuration = home.appending(path: "nan.yaml").path
        try "parameters:\n  testFraction: .nan\n".write(toFile: configuration, atomically: true, encoding: .utf8)
        let given = arguments.map { $0 == "nan.yaml" ? configuration : $0 }
        let (status, output) = try await ChildProcess.run(executable, ["run", "iris_training", "--store", home.path] + given)
        #expect(status == 1, "\(output)")
        #expect(output.contains("Error: invalid parameters for pipeline 'iris_training': \(reason)"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: home.appending(path: "metadata.sqlite").path), "no run is recorded")
    }

    @Test("a step parameter set by a configuration file, past the pipeline's validation, fails the step instead of trapping")
    func refusedStepParameter() async throws {
        let home = FileManager.default.temporaryDirectory.appending(path: "cairn-quickstart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let configuration = home.appending(path: "seed.yaml").path
        try "steps:\n  split:\n    parameters: { seed: -1 }\n".write(toFile: configuration, atomically: true, encoding: .utf8)
        let (status, output) = try await ChildProcess.run(executable, ["run", "iris_training", "--config", configuration, "--store", home.path])
        #expect(status == 1, "\(output)")
        #expect(output.contains("cannot split with testFraction 0.25 and seed -1"), "\(output)")
    }
}
