import CairnCore

// libFuzzer target: `--param key=value` arguments, read against defaults of every JSON type and
// applied to a pipeline.

struct FuzzedParameters: Codable, Sendable {
    var count = 3
    var rate = 0.5
    var label = "base"
    var flag = false
    var sizes = [1, 2]
    var nested = ["depth": 2]
    var optional: String? = nil
}

let identity = ClosureStep<Int, Int>("identity", inputs: ["value"]) { $0 }

let fuzzedPipeline = Pipeline("fuzzed", parameters: FuzzedParameters()) { parameters in
    _ = identity(parameters.count)
}

let defaults: [JSONValue?] = [nil, .null, .bool(false), .number(0.5), .string("text"), .array([]), .object([:])]

/// Parses the input as an argument and reads its value against each kind of default, then applies
/// it to a pipeline. Errors are expected; a crash is a bug, and so is a split that loses text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParameterArgument(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let argument = try? ParameterArgument(parsing: text) else { return 0 }
    precondition(argument.key + "=" + argument.text == text, "the split lost text: \(text.debugDescription)")
    for defaultValue in defaults {
        guard let value = try? argument.value(fitting: defaultValue) else { continue }
        _ = try? fuzzedPipeline.compile(parameterOverrides: [argument.key: value])
    }
    return 0
}
