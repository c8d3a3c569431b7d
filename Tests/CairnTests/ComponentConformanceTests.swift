import Cairn
import CairnTesting
import Foundation
import Testing

/// The artifact and orchestrator conformance suites shipped in `CairnTesting`, on Cairn's own components.
@Suite("Component conformance", .timeLimit(.minutes(2)))
struct ComponentConformanceTests {
    /// The orchestrators every orchestrator check runs with.
    enum OrchestratorKind: String, CaseIterable, Sendable {
        case inProcess = "in_process"
        case subprocess

        func make() -> any Orchestrator {
            switch self {
            case .inProcess: InProcessOrchestrator()
            case .subprocess: SubprocessOrchestrator(executable: FixtureExecutable.path)
            }
        }
    }

    @Test("the local artifact store passes every artifact store check", arguments: ArtifactStoreConformance.checks)
    func localArtifactStore(check: ConformanceCheck<any ArtifactStore>) async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        try await check.run(on: store.stack.artifacts)
    }

    @Test("every orchestrator passes every orchestrator check", arguments: OrchestratorKind.allCases, OrchestratorConformance.checks)
    func orchestrator(kind: OrchestratorKind, check: ConformanceCheck<Stack>) async throws {
        let store = try TemporaryStore(orchestrator: kind.make())
        defer { store.remove() }
        try await check.run(on: store.stack)
    }
}
