import CairnConfiguration
import CairnCore

// libFuzzer target: YAML run configuration files, read and applied to a pipeline.

struct FuzzedParameters: Codable, Sendable {
    var count = 3
    var rate = 0.5
    var label = "base"
    var flags = [true]
}

let add = ClosureStep<Double, Double, Double>("add", inputs: ["left", "right"]) { $0 + $1 }
let scale = ClosureStep<Double, Double>("scale", inputs: ["value"]) { $0 * 2 }

/// A pipeline with parameters of several types, a step called twice and a fan-in-free chain.
let fuzzedPipeline = Pipeline("fuzzed", parameters: FuzzedParameters()) { parameters in
    let rate: Handle<Double> = parameters.rate
    let first = add(rate, 1.5)
    _ = scale(add(first, 2))
}

/// Reads the input as a configuration file and applies it. Errors are expected; a crash is a bug, and
/// so is a configuration that applies but whose template does not read back to the same run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfiguration(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let file = try? RunConfigurationFile(yaml: text, path: "fuzz.yaml"),
        let compiled = try? file.compile(fuzzedPipeline)
    else { return 0 }
    let template = RunConfigurationFile.template(for: compiled)
    do {
        let readBack = try RunConfigurationFile(yaml: template, path: "template.yaml").compile(fuzzedPipeline)
        precondition(readBack.options == compiled.options, "the template changed the options:\n\(text)\n---\n\(template)")
        precondition(readBack.parametersJSON == compiled.parametersJSON, "the template changed the parameters:\n\(text)\n---\n\(template)")
    } catch {
        preconditionFailure("the template of an accepted configuration does not read back: \(error)\n\(text)\n---\n\(template)")
    }
    return 0
}
