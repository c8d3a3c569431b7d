import Cairn
import CairnTesting
import Synchronization

/// A 1,000-step pipeline with 100 steps in flight at once: 999 steps that each wait 500 ms, as steps
/// waiting on I/O do, then one step gathering them all. It measures what running that many steps at
/// once costs: time and memory.
enum WideRunScenario {
    /// Counts the steps running at once, and the most there ever were.
    final class InFlight: Sendable {
        private let counts = Mutex((now: 0, peak: 0))

        func enter() {
            counts.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
        }

        func leave() {
            counts.withLock { $0.now -= 1 }
        }

        var peak: Int { counts.withLock { $0.peak } }
    }

    static func run() async throws -> [Figure] {
        let store = try TemporaryStore()
        defer { store.remove() }
        let inFlight = InFlight()
        let width = BenchmarkSize.scaled(999, tiny: 9)
        let work = ClosureStep<Int, Int>("work", inputs: ["index"]) { index in
            inFlight.enter()
            defer { inFlight.leave() }
            try await Task.sleep(for: .milliseconds(500))
            return index
        }
        let sum = ClosureStep<[Int], Int>("sum", inputs: ["values"]) { $0.reduce(0, +) }
        let pipeline = Pipeline("wide", options: PipelineOptions(maxConcurrency: 100)) {
            let values = (0..<width).map { work(.constant($0)) }
            return ["sum": sum(.gathering(values))]
        }
        var total = 0
        let runTime = try await measureAsync { total = try await pipeline.run(on: store.stack).output("sum", as: Int.self) }
        guard total == width * (width - 1) / 2 else { throw CairnError.store("wrong sum \(total)") }
        return [
            Figure(name: "1,000 steps, 100 in flight: whole run", value: runTime, unit: "s", note: "999 steps wait 500 ms each: 5 s at least"),
            Figure(name: "1,000 steps: most steps in flight at once", value: Double(inFlight.peak), unit: "steps", note: "limit 100"),
            Figure(name: "1,000 steps: peak resident memory", value: peakResidentMegabytes(), unit: "MB"),
        ]
    }
}
