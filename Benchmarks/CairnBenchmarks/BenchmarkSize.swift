import Foundation

/// How big the scenarios are: full size, or tiny with `CAIRN_BENCH_SIZE=tiny`.
///
/// Tiny scenarios run each part once on a few elements: they check that every scenario still
/// works (the test suite runs them all this way, so that a schema change cannot silently break
/// one), and measure nothing worth reading; figures keep their full-size names.
enum BenchmarkSize {
    /// Whether `CAIRN_BENCH_SIZE=tiny` is set.
    static let isTiny = ProcessInfo.processInfo.environment["CAIRN_BENCH_SIZE"] == "tiny"

    /// `full`, or `tiny` when the scenarios run tiny.
    static func scaled(_ full: Int, tiny: Int) -> Int {
        isTiny ? tiny : full
    }

    /// How many times to time something, `full` of them counted after one warm-up: 3 in all when tiny.
    static func repetitions(_ full: Int) -> Int {
        scaled(full + 1, tiny: 3)
    }
}
