import CairnCore
@testable import CairnRuntime
import CairnFixturePipelines
import Foundation
import Testing

@Suite("Threads of their own for step code", .timeLimit(.minutes(1)))
struct ThreadPoolExecutorTests {
    @Test("many tasks that hop on and off the executor, some of them blocking, all finish")
    func manyTasks() async throws {
        let executor = ThreadPoolExecutor(name: "cairn.test", idleTimeout: 0.01)
        for round in 0..<20 {
            let total = await withTaskGroup(of: Int.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        try! await executor.runUserCode {
                            if index % 17 == 0 { usleep(1_000) }
                            await Task.yield()
                            return index
                        }
                    }
                }
                return await group.reduce(0, +)
            }
            #expect(total == 199 * 200 / 2, "round \(round)")
        }
    }

    @Test("a job waiting while every thread blocks gets a thread of its own")
    func blockedThreadsDoNotHoldJobs() async throws {
        let executor = ThreadPoolExecutor(name: "cairn.test", idleTimeout: 0.01)
        let gate = try Gate()
        async let blocked: [Void] = withTaskGroup(of: Void.self) { group in
            for index in 0..<4 { group.addTask { try! await executor.runUserCode { Gate.pass(gate.path, as: "\(index)") } } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(await gate.arrivals(4).count == 4)
        #expect(try await executor.runUserCode { 42 } == 42)
        gate.open()
        #expect(await blocked.count == 4)
    }

    @Test("with at most one thread, jobs take turns on it, and no second thread starts")
    func oneThread() async throws {
        let executor = ThreadPoolExecutor(name: "cairn.test", maximumThreads: 1, idleTimeout: 0.01)
        let running = Locked((now: 0, most: 0, threads: 0))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    try! await executor.runUserCode {
                        running.withLock { $0 = (now: $0.now + 1, most: max($0.most, $0.now + 1), threads: max($0.threads, executor.threadCount)) }
                        running.withLock { $0.now -= 1 }
                    }
                }
            }
        }
        #expect(running.withLock { $0.most } == 1, "one job at a time")
        #expect(running.withLock { $0.threads } == 1, "one thread")
    }
}

