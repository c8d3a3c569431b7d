import Cairn
import CairnReadmeExamples
import CairnTesting
import Foundation
import Testing

/// The README's examples cannot rot: each is code that the build compiles and these tests run.
@Suite("The README's examples", .timeLimit(.minutes(1)))
struct ReadmeTests {
    static let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A line of code as compared: without its comment, its indentation and repeated spaces.
    static func normalized(_ line: Substring) -> String {
        let code = line.range(of: "//").map { line[..<$0.lowerBound] } ?? line
        return code.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    @Test("every line of the README's Swift examples, but the … placeholders, is a line of the compiled examples")
    func examplesAreCompiled() throws {
        let readme = try String(contentsOf: Self.root.appending(path: "README.md"), encoding: .utf8)
        let folder = Self.root.appending(path: "Tests/ReadmeExamples")
        let sources = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        let compiled = Set(try sources.flatMap { name in
            try String(contentsOf: folder.appending(path: name), encoding: .utf8).split(separator: "\n").map(Self.normalized)
        })
        var inExample = false
        var checked = 0
        for (number, line) in readme.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("```") {
                inExample = line == "```swift"
                continue
            }
            let code = Self.normalized(line)
            guard inExample, !code.isEmpty, !code.contains("…") else { continue }
            checked += 1
            #expect(compiled.contains(code), "README.md:\(number + 1) is in no example under Tests/ReadmeExamples: \(line)")
        }
        #expect(checked > 50, "the README's examples were found")
    }

    @Test("the README's first pipeline runs, and its artifacts have the names the README gives")
    func firstPipelineRuns() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let data = store.home.appending(path: "data.csv")
        try (0..<8).map { "\(Double($0)),\(Double($0) * 2),\($0 % 2)" }.joined(separator: "\n").write(to: data, atomically: true, encoding: .utf8)
        let (steps, models) = try await runTraining(on: store.stack, data: data.path)
        #expect(steps.map(\.invocation).sorted() == ["evaluate", "evaluate_2", "load", "split", "train", "train_2"])
        #expect(steps.allSatisfy { $0.status == .completed })
        #expect(models.map(\.version) == [1], "the invocation train stored training::train::model; train_2 has its own")
    }
}
