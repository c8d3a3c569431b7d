public import Cairn
import Foundation

/// A small record type, stored as JSON.
public struct BranchSummary: Codable, Sendable, Equatable {
    public var label: String
    public var values: [Double]
}

/// An error a fixture step throws on purpose.
public struct FixtureFailure: Error, CustomStringConvertible {
    public var description: String
}

/// Makes `count` numbers starting at `start`.
@Step
public func makeNumbers(count: Int, start: Double) -> [Double] {
    (0..<count).map { start + Double($0) }
}

/// Scales numbers, after an optional pause (to make overlap measurable), and in a process whose
/// `CAIRN_FIXTURE_GATE` names a ``Gate``, after waiting there: a test that starts the fixtures
/// executable so can kill the run while its branches run.
@Step
public func scale(numbers: [Double], factor: Double, pauseMilliseconds: Int) async throws -> [Double] {
    if pauseMilliseconds > 0 { try await Task.sleep(for: .milliseconds(pauseMilliseconds)) }
    if let gate = ProcessInfo.processInfo.environment[Gate.environmentVariable] { Gate.pass(gate, as: "scale \(factor)") }
    return numbers.map { $0 * factor }
}

/// Summarises several number lists into one measurement per list.
@Step
public func summarise(lists: [[Double]], label: String) -> (measurements: [BranchSummary], total: Double) {
    let measurements = lists.enumerated().map { BranchSummary(label: "\(label)_\($0)", values: $1) }
    return (measurements, lists.joined().reduce(0, +))
}

/// Describes a total as text.
@Step
public func describe(total: Double) -> String {
    "total = \(total)"
}

/// Fails with a message when `fail` is true.
@Step
public func check(total: Double, fail: Bool) throws -> Bool {
    if fail { throw FixtureFailure(description: "the check failed on purpose (total \(total))") }
    return true
}

/// Ends its process abruptly, as a killed or crashed step would, when `crash` is true.
@Step
public func crashIf(crash: Bool, value: Double) -> Double {
    if crash {
        FileHandle.standardError.write(Data("crashing on purpose\n".utf8))
        exit(42)
    }
    return value
}

/// Converts `value` to an unsigned number: a negative one traps and stops the process, as any
/// Swift runtime error in step code does.
@Step
public func unsigned(value: Int) -> UInt64 {
    UInt64(value)
}

/// Writes zeros to `path` until the disk is full, and returns how many bytes it wrote; the file
/// stays, so the disk stays full.
@Step
public func fillDisk(path: String) -> Int {
    guard let file = fopen(path, "w") else { return 0 }
    defer { fclose(file) }
    let chunk = [UInt8](repeating: 0, count: 4096)
    var written = 0
    while fwrite(chunk, 1, chunk.count, file) == chunk.count, fflush(file) == 0 {
        written += chunk.count
    }
    return written
}

/// Reports an environment variable as the step sees it: from its context in process, and from the
/// real process environment when it runs in a process of its own.
@Step
public func readEnvironment(name: String) -> String {
    let fromContext = StepContext.current?.environment[name] ?? "unset"
    let fromProcess = ProcessInfo.processInfo.environment[name] ?? "unset"
    return "context=\(fromContext) process=\(fromProcess)"
}

/// Prints the secret value in the variable `key`, logs it, and logs it as metadata, as careless
/// step code would; returns where the value was found and its length, never the value.
@Step
public func revealSecret(key: String) -> String {
    let fromContext = StepContext.current?.environment[key]
    let fromProcess = ProcessInfo.processInfo.environment[key]
    let value = fromContext ?? "unset"
    FileHandle.standardOutput.write(Data("the secret is \(value)\n".utf8))
    StepContext.current?.logger.info("the secret is \(value)")
    StepContext.current?.log(metadata: ["seen": .string(value)])
    return "context=\(fromContext == nil ? "unset" : "set") process=\(fromProcess == nil ? "unset" : "set") length=\(value.count)"
}

/// Adds `offset` to every number: a small step, for pipelines of many steps.
@Step
public func shift(numbers: [Double], offset: Double) -> [Double] {
    numbers.map { $0 + offset }
}

/// `count` pseudo-random numbers in [0, 1), the same for the same seed: a large artifact.
@Step
public func makeNoise(count: Int, seed: Int) -> [Double] {
    var state = UInt64(truncatingIfNeeded: seed)
    return (0..<count).map { _ in
        // SplitMix64, so that the numbers depend on the seed only.
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((mixed ^ (mixed >> 31)) >> 11) / Double(1 << 53)
    }
}

/// Each number plus its predecessor, halved: a large artifact made from another.
@Step
public func smooth(numbers: [Double]) -> [Double] {
    var previous = numbers.first ?? 0
    return numbers.map { value in
        defer { previous = value }
        return (value + previous) / 2
    }
}

/// The sum of every number of every list.
@Step
public func total(lists: [[Double]]) -> Double {
    lists.reduce(0) { $0 + $1.reduce(0, +) }
}

/// "Trains" on `numbers` for `milliseconds`, blocking its thread as a synchronous training loop
/// does, or awaiting; returns a score.
@Step
public func trainFor(numbers: [Double], milliseconds: Int, blocking: Bool) async throws -> Double {
    if blocking {
        usleep(UInt32(milliseconds) * 1_000)
    } else {
        try await Task.sleep(for: .milliseconds(milliseconds))
    }
    return numbers.reduce(0, +)
}

/// The best of several scores.
@Step
public func compareModels(scores: [Double]) -> Double {
    scores.max() ?? 0
}
