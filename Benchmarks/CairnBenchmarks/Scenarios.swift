import Cairn
import CairnTesting
import Foundation

/// One measured figure.
struct Figure {
    var name: String
    var value: Double
    var unit: String
    var note: String = ""
}

/// The benchmark scenarios; each runs in its own process so that peak memory is its own.
enum Scenarios {
    static let all: [String: @Sendable () async throws -> [Figure]] = [
        "chain": chain,
        "cached": cachedRerun,
        "fanout": fanOut,
        "blocked": blockedSteps,
        "sleepy-fanout": sleepyFanOutProcess,
        "artifact": largeArtifact,
        "process": oneStepProcess,
        "logs": logOverhead,
        "dynamic10k": { try await dynamicMap(elements: BenchmarkSize.scaled(10_000, tiny: 10)) },
        "dynamic100k": { try await dynamicMap(elements: BenchmarkSize.scaled(100_000, tiny: 10)) },
        "dynamic10k-memory-fs": { try await dynamicMap(elements: BenchmarkSize.scaled(10_000, tiny: 10), in: URL(filePath: "/dev/shm")) },
        "dynamic-growth": dynamicGrowth,
        "wide1000": WideRunScenario.run,
        "store-calls": StoreCallScenario.run,
        "postgres-chain": PostgreSQLChainScenario.run,
        "cli": CommandLineScenario.run,
        "schedule-lateness": ScheduleLatenessScenario.run,
        "postgres-cli": PostgreSQLCommandLineScenario.run,
    ]

    static let increment = ClosureStep<Int, Int>("increment", inputs: ["value"]) { $0 + 1 }

    /// A 1,000-step chain of trivial steps: everything measured is framework time, including the
    /// disk's latency for each artifact's fsync; run again on a memory file system (`/dev/shm`,
    /// where there is one), to show the framework's own time without it.
    ///
    /// Set `TMPDIR` to measure another disk. On ext4 without a journal, the disk figure depends on
    /// what was deleted in the last minutes: ext4 then skips recently freed inodes when it makes a
    /// file, one by one, so each artifact file costs more right after thousands of files were
    /// deleted (a test run, or the previous benchmark's store).
    static func chain() async throws -> [Figure] {
        let steps = BenchmarkSize.scaled(1_000, tiny: 5)
        let pipeline = Pipeline("chain") {
            var value: Handle<Int> = 0
            for _ in 0..<steps { value = increment(value) }
        }
        let compileTime = try measure { _ = try pipeline.compile() }
        var figures = [Figure(name: "chain of 1,000 steps: compile", value: compileTime * 1000, unit: "ms")]
        for (folder, label) in [(FileManager.default.temporaryDirectory, "disk"), (URL(filePath: "/dev/shm"), "memory file system")]
        where FileManager.default.fileExists(atPath: folder.path) {
            let store = try TemporaryStore(in: folder)
            defer { store.remove() }
            try await Pipeline("warm_up") { _ = increment(0) }.run(on: store.stack)
            let runTime = try await measureAsync { try await pipeline.run(on: store.stack) }
            figures += [
                Figure(name: "chain of 1,000 steps on the \(label): whole run", value: runTime, unit: "s"),
                Figure(name: "chain on the \(label): time per step", value: runTime / Double(steps) * 1000, unit: "ms", note: "target < 0.5 ms"),
            ]
        }
        return figures
    }

    /// The same 1,000-step chain run again with every step cached: looking up 1,000 keys and
    /// recording 1,000 cache hits, with no step executed.
    static func cachedRerun() async throws -> [Figure] {
        let store = try TemporaryStore()
        defer { store.remove() }
        let steps = BenchmarkSize.scaled(1_000, tiny: 5)
        let pipeline = Pipeline("chain") {
            var value: Handle<Int> = 0
            for _ in 0..<steps { value = increment(value) }
        }
        try await pipeline.run(on: store.stack)
        var cached = 0
        let rerunTime = try await measureAsync {
            cached = try await pipeline.run(on: store.stack).steps.filter { $0.status == .cached }.count
        }
        guard cached == steps else { throw CairnError.store("only \(cached) of \(steps) steps were cached") }
        return [
            Figure(name: "1,000-step chain, fully cached rerun", value: rerunTime * 1000, unit: "ms", note: "target < 300 ms"),
            Figure(name: "fully cached rerun per step", value: rerunTime / Double(steps) * 1000, unit: "ms"),
        ]
    }

    /// A dynamic pipeline mapping a trivial step over `elements` values, then gathering them all.
    static func dynamicMap(elements: Int, in folder: URL = FileManager.default.temporaryDirectory) async throws -> [Figure] {
        let store = try TemporaryStore(in: folder)
        defer { store.remove() }
        try await DynamicPipeline("warm_up", options: mapOptions) { _ = increment(0) }.run(on: store.stack)
        let baseline = peakResidentMegabytes()
        let runTime = try await runMap(over: 0..<elements, on: store)
        let growth = peakResidentMegabytes() - baseline
        return [
            Figure(name: "dynamic map of \(elements) + fan-in in \(folder.path): whole run", value: runTime, unit: "s"),
            Figure(name: "dynamic map: framework time per element", value: runTime / Double(elements) * 1000, unit: "ms", note: "target < 1 ms"),
            Figure(name: "dynamic map: peak memory growth per element", value: growth * 1024 * 1024 / Double(elements), unit: "bytes", note: "target < 2 KB"),
        ]
    }

    /// How fast peak memory grows with the number of elements: a map of 10,000, then one of 100,000
    /// other values in the same process, and the growth of the peak between them per added element.
    /// Fixed costs that the 10,000-element figure includes (SQLite's page caches filling up, for
    /// one) are out of it.
    static func dynamicGrowth() async throws -> [Figure] {
        let store = try TemporaryStore()
        defer { store.remove() }
        let (small, large) = (BenchmarkSize.scaled(10_000, tiny: 5), BenchmarkSize.scaled(100_000, tiny: 10))
        _ = try await runMap(over: 1_000_000..<(1_000_000 + small), on: store)
        let smaller = peakResidentMegabytes()
        _ = try await runMap(over: 0..<large, on: store)
        let growth = peakResidentMegabytes() - smaller
        return [Figure(
            name: "dynamic map: peak memory growth per element from 10,000 to 100,000 elements", value: growth * 1024 * 1024 / Double(large - small),
            unit: "bytes", note: "target < 2 KB")]
    }

    private static let mapOptions = PipelineOptions(enableStepLogs: false, enableArtifactMetadata: false)

    /// Runs a dynamic pipeline mapping `increment` over `values` and summing the results, checks the
    /// sum, and returns the seconds it took.
    private static func runMap(over values: Range<Int>, on store: TemporaryStore) async throws -> Double {
        let sum = ClosureStep<[Int], Int>("sum", inputs: ["values"]) { $0.reduce(0, +) }
        let pipeline = DynamicPipeline("map", options: mapOptions) {
            let mapped = values.map { increment(.constant($0)) }
            return ["sum": sum(.gathering(mapped))]
        }
        var total = 0
        let runTime = try await measureAsync { total = try await pipeline.run(on: store.stack).output("sum", as: Int.self) }
        guard total == values.reduce(0, { $0 + $1 + 1 }) else { throw CairnError.store("wrong sum \(total)") }
        return runTime
    }

    /// A step that logs 100,000 lines, with its logs captured and with them switched off.
    static func logOverhead() async throws -> [Figure] {
        let store = try TemporaryStore()
        defer { store.remove() }
        let lines = BenchmarkSize.scaled(100_000, tiny: 10)
        let chatty = ClosureStep<Int, Int>("chatty", inputs: ["lines"]) { count in
            let logger = StepContext.current?.logger
            for line in 0..<count { logger?.info("processed record \(line)", metadata: ["batch": "\(line / 1_000)"]) }
            return count
        }
        func run(logs: Bool) async throws -> Double {
            let pipeline = Pipeline("chatty", options: PipelineOptions(enableCache: false, enableStepLogs: logs)) { _ = chatty(.constant(lines)) }
            try await pipeline.run(on: store.stack)
            var best = Double.infinity
            for _ in 0..<BenchmarkSize.scaled(3, tiny: 1) {
                let result = try await pipeline.run(on: store.stack)
                best = min(best, try await result.step("chatty")?.duration ?? .infinity)
            }
            return best
        }
        let captured = try await run(logs: true)
        let dropped = try await run(logs: false)
        return [
            Figure(name: "step logging 100,000 lines, captured", value: captured * 1000, unit: "ms"),
            Figure(name: "same step, logs switched off", value: dropped * 1000, unit: "ms"),
            Figure(name: "capture overhead per line", value: (captured - dropped) / Double(lines) * 1e6, unit: "µs"),
        ]
    }

    /// One source, 50 parallel steps, one join, each run on a fresh store, 5 times: with the default
    /// limit, and with the limit set to the core count, which quick steps should not beat by much.
    static func fanOut() async throws -> [Figure] {
        let sum = ClosureStep<[Int], Int>("sum", inputs: ["values"]) { $0.reduce(0, +) }
        let width = BenchmarkSize.scaled(50, tiny: 3)
        let pipeline = Pipeline("fan_out") {
            let source = increment(0)
            _ = sum(.gathering((0..<width).map { _ in increment(source) }))
        }
        func median(_ pipeline: Pipeline<NoParameters>) async throws -> Double {
            var times: [Double] = []
            for _ in 0..<5 {
                let store = try TemporaryStore()
                defer { store.remove() }
                try await Pipeline("warm_up") { _ = increment(0) }.run(on: store.stack)
                times.append(try await measureAsync { try await pipeline.run(on: store.stack) })
            }
            return times.sorted()[times.count / 2]
        }
        let runTime = try await median(pipeline)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let coreLimited = try await median(pipeline.withOptions { $0.maxConcurrency = cores })
        return [
            Figure(name: "fan-out 1 → 50 → 1: whole run, median of 5", value: runTime * 1000, unit: "ms"),
            Figure(name: "fan-out: framework time per step", value: runTime / Double(width + 2) * 1000, unit: "ms", note: "target < 0.5 ms"),
            Figure(name: "same with maxConcurrency = \(cores) (the cores): whole run, median of 5", value: coreLimited * 1000, unit: "ms"),
        ]
    }

    /// N independent steps that each block their thread for 100 ms (as synchronous step code does),
    /// with default options, against the ideal: ceil(N / limit) × 100 ms.
    static func blockedSteps() async throws -> [Figure] {
        let store = try TemporaryStore()
        defer { store.remove() }
        let block = ClosureStep<Int, Int>("block", inputs: ["index"]) { index in
            usleep(100_000)
            return index
        }
        try await Pipeline("warm_up") { _ = increment(0) }.run(on: store.stack)
        let limit = PipelineOptions.defaultMaxConcurrency
        var figures: [Figure] = []
        for count in BenchmarkSize.isTiny ? [2] : [8, 32, 128] {
            let pipeline = Pipeline("blocked_\(count)", options: PipelineOptions(enableCache: false)) {
                for index in 0..<count { _ = block(.constant(index)) }
            }
            let runTime = try await measureAsync { try await pipeline.run(on: store.stack) }
            let ideal = Double((count + limit - 1) / limit) * 0.1
            figures += [
                Figure(name: "\(count) independent steps blocking 100 ms: whole run", value: runTime * 1000, unit: "ms"),
                Figure(name: "\(count) blocking steps / ideal (ceil(\(count) / \(limit)) × 100 ms)", value: runTime / ideal, unit: "×"),
            ]
        }
        return figures
    }

    /// A 1 → 50 → 1 fan-out whose 50 steps each sleep 100 ms, as a whole process with default options
    /// (the `cairn-one-step` executable's `sleepy_fan_out`), started 5 times.
    static func sleepyFanOutProcess() async throws -> [Figure] {
        let executable = URL(filePath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "cairn-one-step").path
        let home = FileManager.default.temporaryDirectory.appending(path: "cairn-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        var times: [Double] = []
        for _ in 0..<BenchmarkSize.scaled(6, tiny: 2) {
            times.append(try measure { try ChildProcess.run(executable, arguments: ["sleepy_fan_out", "--store", home.path]) })
        }
        times.removeFirst()
        times.sort()
        return [
            Figure(name: "fan-out 1 → 50 → 1 of 100 ms sleeps as a whole process: median of 5", value: times[times.count / 2] * 1000, unit: "ms", note: "target < 800 ms"),
        ]
    }

    /// A 100 MiB artifact written and read back, against a plain file copy with the same fsync.
    static func largeArtifact() async throws -> [Figure] {
        let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try LocalArtifactStore(root: folder.appending(path: "artifacts"))
        var values = [Float](unsafeUninitializedCapacity: BenchmarkSize.scaled(26_214_400, tiny: 1_000)) { buffer, count in
            for index in buffer.indices { buffer[index] = Float(index % 1_000) * 0.5 }
            count = buffer.count
        }
        let serializer = NumPyArtifactSerializer<Float>()
        // The best of three rounds of each, taken in turns, so that a busy disk weighs on all three alike.
        var (writeTime, readTime, copyTime) = (Double.infinity, Double.infinity, Double.infinity)
        for round in 0..<BenchmarkSize.scaled(3, tiny: 1) {
            values[0] = Float(round)  // new content each round: a real write, not a duplicate
            var blob = StoredBlob(digest: "", size: 0)
            writeTime = min(writeTime, try await measureAsync { blob = try await store.store { try serializer.write(values, to: $0) } })
            var loaded: [Float] = []
            readTime = min(readTime, try await measureAsync { loaded = try await store.load(blob.digest) { try serializer.read(from: $0) } })
            guard loaded == values else { throw CairnError.corruptArtifact("read back other values") }
            loaded = []
            let copy = folder.appending(path: "copy-\(round)").path
            copyTime = min(copyTime, try measure { try PlainCopy.copy(store.location(of: blob.digest), to: copy) })
            try await store.delete(blob.digest)
            unlink(copy)
        }
        return [
            Figure(name: "100 MiB artifact: write (serialize, hash, fsync, rename)", value: writeTime * 1000, unit: "ms"),
            Figure(name: "100 MiB artifact: read back (read, hash, verify)", value: readTime * 1000, unit: "ms"),
            Figure(name: "100 MiB plain file copy with fsync", value: copyTime * 1000, unit: "ms"),
            Figure(name: "100 MiB write / plain copy", value: writeTime / copyTime, unit: "×", note: "target ≤ 2"),
            Figure(name: "100 MiB read / plain copy", value: readTime / copyTime, unit: "×", note: "target ≤ 2"),
        ]
    }

    /// A one-step pipeline as a whole process, started 20 times.
    static func oneStepProcess() async throws -> [Figure] {
        let executable = URL(filePath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "cairn-one-step").path
        let home = FileManager.default.temporaryDirectory.appending(path: "cairn-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        var times: [Double] = []
        for _ in 0..<BenchmarkSize.repetitions(20) {
            times.append(try measure { try ChildProcess.run(executable, arguments: ["--store", home.path]) })
        }
        times.removeFirst()
        times.sort()
        return [
            Figure(name: "one-step pipeline as a whole process: median of 20", value: times[times.count / 2] * 1000, unit: "ms", note: "target < 50 ms"),
            Figure(name: "one-step pipeline as a whole process: fastest", value: times[0] * 1000, unit: "ms"),
        ]
    }
}
