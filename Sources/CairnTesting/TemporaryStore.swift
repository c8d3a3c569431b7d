public import Cairn
public import Foundation

/// A local store in a fresh temporary folder, for tests: every test gets its own.
///
/// ```swift
/// @Test func trains() async throws {
///     let store = try TemporaryStore()
///     defer { store.remove() }
///     let result = try await training.run(on: store.stack)
/// }
/// ```
public struct TemporaryStore: Sendable {
    /// The store's folder.
    public let home: URL
    /// A local stack on the folder, running steps in process.
    public let stack: Stack

    /// Makes the folder, in `parent` (the temporary directory by default), and opens a local stack on it.
    public init(orchestrator: any Orchestrator = InProcessOrchestrator(), in parent: URL = FileManager.default.temporaryDirectory) throws {
        home = parent.appending(path: "cairn-test-\(UUID().uuidString)")
        stack = try Stack.local(at: home, orchestrator: orchestrator)
    }

    /// The same store, with steps run by another orchestrator.
    public func stack(orchestrator: any Orchestrator) -> Stack {
        stack.with(orchestrator: orchestrator)
    }

    /// Deletes the folder.
    public func remove() {
        try? FileManager.default.removeItem(at: home)
    }
}
