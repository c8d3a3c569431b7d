import Cairn
import CairnPostgres
import CairnTesting
import Foundation

/// The 1,000-step chain with its records in PostgreSQL: a private server on loopback, with every
/// commit waiting for the disk (`fsync` and `synchronous_commit` on, as a real server has them).
///
/// Besides the time per step, it counts what the server did for the run: its transactions (one per
/// statement outside a transaction, so one per round trip, reads included), and those that wrote,
/// which are the commits that wait for the disk. The counts come from the server's statistics,
/// read once the store's connections have closed, when every backend has reported its own.
enum PostgreSQLChainScenario {
    static func run() async throws -> [Figure] {
        let steps = 1_000
        let pipeline = Pipeline("chain") {
            var value: Handle<Int> = 0
            for _ in 0..<steps { value = Scenarios.increment(value) }
        }
        let server = try await PostgreSQLTestServer.start(durable: true)
        var figures: [Figure] = []
        do {
            for (folder, label) in [(FileManager.default.temporaryDirectory, "disk"), (URL(filePath: "/dev/shm"), "memory file system")]
            where FileManager.default.fileExists(atPath: folder.path) {
                let artifacts = folder.appending(path: "cairn-benchmark-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: artifacts) }
                let schema = "chain_\(figures.count)"
                let store = try await server.makeStore(schema: schema)
                let stack = Stack(metadata: store, artifacts: try LocalArtifactStore(root: artifacts), orchestrator: InProcessOrchestrator())
                try await Pipeline("warm_up") { _ = Scenarios.increment(0) }.run(on: stack)
                let before = try await counters(server)
                let runTime = try await measureAsync { try await pipeline.run(on: stack) }
                await store.close()
                let after = try await counters(server)
                // Each psql that reads the counters is a transaction of its own.
                let transactions = Double(after.transactions - before.transactions - 1) / Double(steps)
                let writes = Double(after.writes - before.writes) / Double(steps)
                figures += [
                    Figure(name: "PostgreSQL chain, artifacts on the \(label): whole run", value: runTime, unit: "s"),
                    Figure(
                        name: "PostgreSQL chain, artifacts on the \(label): time per step", value: runTime / Double(steps) * 1000, unit: "ms",
                        note: "target < 1 ms; fsync and synchronous_commit on"),
                    Figure(name: "PostgreSQL chain, artifacts on the \(label): round trips per step", value: transactions, unit: "statements"),
                    Figure(name: "PostgreSQL chain, artifacts on the \(label): commits per step", value: writes, unit: "commits", note: "that wrote"),
                ]
            }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        return figures
    }

    /// The server's count of committed transactions in the store's database, and the next
    /// transaction identifier: transactions that wrote took one each.
    private static func counters(_ server: PostgreSQLTestServer) async throws -> (transactions: Int, writes: Int) {
        let output = try await server.runSQL(
            """
            SELECT pg_stat_clear_snapshot();
            SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres';
            SELECT pg_snapshot_xmax(pg_current_snapshot());
            """)
        let numbers = output.split(separator: "\n").compactMap { Int($0) }
        guard numbers.count == 2 else { throw CairnError.store("unexpected counters from the server: \(output)") }
        return (numbers[0], numbers[1])
    }
}
