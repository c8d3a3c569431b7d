import CairnCore
import Foundation

// libFuzzer target: run-name templates, parsed and expanded.

let moment = Date(timeIntervalSince1970: 1_795_000_000.123456)

/// Parses the input as a template and expands it. Errors are expected; a crash is a bug, and so is
/// an expanded name that the name rules refuse.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRunNameTemplate(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let template = try? RunNameTemplate(text) else { return 0 }
    precondition(template.text == text)
    let substitutions = Dictionary(template.placeholders.map { ($0, "value") }, uniquingKeysWith: { first, _ in first })
    guard let name = try? template.expand(pipeline: "fuzzed", at: moment, substitutions: substitutions) else { return 0 }
    do {
        try Names.validate(name, kind: "run", allowColon: true)
    } catch {
        preconditionFailure("expanded to a name the rules refuse: \(error)")
    }
    return 0
}
