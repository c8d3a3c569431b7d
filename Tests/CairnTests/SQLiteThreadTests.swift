import Cairn
import CairnCore
@testable import CairnSQLite
import CairnTesting
import Foundation
import GRDB
import GRDBSQLite
import Testing

/// No SQLite store call blocks a thread of Swift's cooperative pool, which has one thread per core
/// and which every task of the process needs: writes wait for another connection's write
/// transaction (up to the busy timeout, 30 s) on threads of the store's own, and reads, which run
/// where they are called, wait there too when another connection holds the file.
@Suite("SQLite calls off the cooperative pool", .timeLimit(.minutes(1)))
struct SQLiteThreadTests {
    @Test("writes waiting for another connection's write lock hold no thread of the cooperative pool: tasks and reads go on")
    func waitingWritesLeaveThePoolFree() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let metadata = try #require(store.stack.metadata as? SQLiteMetadataStore)
        let run = try await metadata.createRun(
            NewRun(name: "busy", pipelineName: "busy", configuration: "{}", graph: PipelineGraph(), startedAt: Date(), host: "test-host", processID: 1))

        // Another connection takes the write lock, and keeps it until the test commits.
        var other: OpaquePointer?
        defer { sqlite3_close(other) }
        try #require(sqlite3_open(metadata.path, &other) == SQLITE_OK && sqlite3_exec(other, "BEGIN IMMEDIATE", nil, nil, nil) == SQLITE_OK)

        // More writers than the pool has threads, each in a task of the pool. Each says when it is
        // about to call the store, and its call then waits for the lock. Were the calls made on the
        // pool's threads, the first writers would hold them all, and the others could not say so.
        let writers = 4 * ProcessInfo.processInfo.activeProcessorCount
        let (calling, caller) = AsyncStream.makeStream(of: Int.self)
        let ended = Locked(0)
        let writes = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        caller.yield(writer)
                        try await metadata.logMetadata(["writer \(writer)": .number(Double(writer))], on: .run(id: run.id))
                        ended.withLock { $0 += 1 }
                    }
                }
                try await group.waitForAll()
            }
        }
        var called = 0
        for await _ in calling {
            called += 1
            if called == writers { break }
        }

        // While they wait, many tasks on the pool run to their end, and reads answer.
        let finished = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<500 {
                group.addTask {
                    for _ in 0..<10 { await Task.yield() }
                    return 1
                }
            }
            return await group.reduce(0, +)
        }
        #expect(finished == 500)
        #expect(try await metadata.run(id: run.id)?.id == run.id)
        #expect(ended.withLock { $0 } == 0, "no write ends while another connection holds the lock")

        try #require(sqlite3_exec(other, "COMMIT", nil, nil, nil) == SQLITE_OK)
        try await writes.value
        #expect(try await metadata.metadata(of: .run(id: run.id)).count == writers)
    }

    @Test("a read that finds the file held by another connection is made again off the pool, until it is let go")
    func busyReadIsMadeAgainOffThePool() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let metadata = try #require(store.stack.metadata as? SQLiteMetadataStore)
        let storeThreads = SQLiteMetadataStore.threads.asUnownedTaskExecutor()
        // Each attempt says whether it ran with the store's threads preferred; the first three find
        // the file held, as read connections do while another process recovers the WAL.
        let attempts = Locked<[Bool]>([])
        let answer = try await metadata.read { db in
            let offPool = withUnsafeCurrentTask { $0?.unownedTaskExecutor == storeThreads }
            let attempt = attempts.withLock { attempts in
                attempts.append(offPool)
                return attempts.count
            }
            if attempt <= 3 { throw DatabaseError(resultCode: .SQLITE_BUSY) }
            return try Int.fetchOne(db, sql: "SELECT 42")
        }
        #expect(answer == 42)
        #expect(attempts.withLock { $0 } == [false, true, true, true], "the first attempt where the read was called, the others off the pool")
    }
}
