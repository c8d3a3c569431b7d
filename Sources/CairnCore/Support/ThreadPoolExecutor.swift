import DequeModule
package import Foundation

/// A task executor that runs its jobs on threads of its own, started as they are needed, so that
/// code which blocks them cannot starve Swift's cooperative pool.
///
/// With a ``maximumThreads`` of one, it runs its jobs one after another, in the order they came,
/// on one thread: a SQLite store's writer, whose writes could only wait for each other anyway.
///
/// The cooperative pool has one thread per core. Step code is user code: it sleeps, reads files,
/// trains synchronously and calls into C. A SQLite store's writes wait for other processes' writes
/// and for checkpoints. Run there, two blocking calls on a 2-core machine would stop every other
/// task of the process: the steps, the scheduler and the run's heartbeat. Work started
/// with this executor as its preference (`withTaskExecutorPreference`, or
/// `Task(executorPreference:)`) runs here instead: whenever a job arrives and no thread is idle, a
/// new thread starts, so a blocked thread never holds up another job. How many jobs run at once is
/// therefore bounded by the callers (a run's concurrency limit), not by this executor. A thread
/// idle for ``idleTimeout`` ends.
///
/// `async` work keeps overlapping as before: a step that awaits gives its thread back while it waits.
package final class ThreadPoolExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked Sendable: `jobs`, `idle`, `starting` and `threads` are read and written only while
    // `condition` is locked; `name`, `idleTimeout` and `maximumThreads` are constants.
    private let condition = NSCondition()
    private var jobs = Deque<UnownedJob>()
    /// Threads waiting for a job.
    private var idle = 0
    /// Threads started that have not yet taken their first job: each will, so jobs do not start
    /// another thread for it.
    private var starting = 0
    /// Threads started and not ended.
    private var threads = 0
    private let name: String
    private let idleTimeout: TimeInterval
    /// The most threads the executor has at once; jobs beyond them wait for one.
    package let maximumThreads: Int

    /// Makes an executor whose threads are named `name`, at most `maximumThreads` of them, and end
    /// after `idleTimeout` seconds without work.
    package init(name: String, maximumThreads: Int = .max, idleTimeout: TimeInterval = 10) {
        self.name = name
        self.maximumThreads = max(1, maximumThreads)
        self.idleTimeout = idleTimeout
    }

    /// How many threads the executor has now.
    package var threadCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return threads
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        // Each idle or starting thread takes one job; a job beyond those gets a thread of its own,
        // unless there are as many threads as there may be.
        let startsThread = jobs.count > idle + starting && threads < maximumThreads
        if startsThread { (threads, starting) = (threads + 1, starting + 1) }
        condition.signal()
        condition.unlock()
        if startsThread {
            let thread = Thread { [self] in work() }
            thread.name = name
            thread.start()
        }
    }

    /// Runs jobs as they come, until none came for ``idleTimeout``.
    private func work() {
        let executor = asUnownedTaskExecutor()
        condition.lock()
        starting -= 1
        while true {
            while jobs.isEmpty {
                idle += 1
                let woken = condition.wait(until: Date(timeIntervalSinceNow: idleTimeout))
                idle -= 1
                if !woken, jobs.isEmpty {
                    threads -= 1
                    condition.unlock()
                    return
                }
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: executor)
            condition.lock()
        }
    }
}
