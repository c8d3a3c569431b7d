import Foundation
import Testing

/// Type-checks snippets against the built Cairn modules with the real compiler.
@Suite("Compile-time checks", .timeLimit(.minutes(2)))
struct CompileTimeTests {
    static let modules = URL(filePath: FixtureExecutable.path).deletingLastPathComponent().appending(path: "Modules").path

    func typecheck(_ source: String) async throws -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appending(path: "cairn-snippet-\(UUID().uuidString).swift")
        defer { try? FileManager.default.removeItem(at: file) }
        try source.write(to: file, atomically: true, encoding: .utf8)
        return try await ChildProcess.run("/usr/bin/env", ["swiftc", "-typecheck", "-swift-version", "6", "-I", Self.modules, file.path])
    }

    static let prelude = """
        import CairnCore
        struct Dataset: Codable, Sendable {}
        struct Model: Codable, Sendable {}
        let load = ClosureStep<Dataset>("load", inputs: []) { Dataset() }
        let train = ClosureStep<Dataset, Model>("train", inputs: ["data"]) { _ in Model() }
        let evaluate = ClosureStep<Model, Double>("evaluate", inputs: ["model"]) { _ in 1 }

        """

    @Test("connecting a Dataset output to a Model input does not compile")
    func wrongEdgeDoesNotCompile() async throws {
        let good = try await typecheck(Self.prelude + "let p = Pipeline(\"ok\") { _ = evaluate(train(load())) }\n")
        #expect(good.status == 0, "the correct pipeline must compile: \(good.output)")
        let bad = try await typecheck(Self.prelude + "let p = Pipeline(\"wrong\") { _ = evaluate(load()) }\n")
        #expect(bad.status != 0)
        #expect(bad.output.contains("cannot convert value of type 'Handle<Dataset>' to expected argument type 'Handle<Model>'"), "\(bad.output)")
    }
}
