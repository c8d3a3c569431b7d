import CairnConfiguration
import CairnCore

// libFuzzer target: stack files (cairn-stacks.yaml), read and written back.

/// Reads the input as a stack file. Errors are expected; a crash is a bug, and so is a file that
/// reads but whose written text does not read back to the same stacks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStackFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let file = try? StackFile(yaml: text, path: "/project/cairn-stacks.yaml") else { return 0 }
    let written = file.yaml()
    do {
        let readBack = try StackFile(yaml: written, path: "/project/cairn-stacks.yaml")
        precondition(readBack.stacks == file.stacks, "the written file reads back other stacks:\n\(text)\n---\n\(written)")
    } catch {
        preconditionFailure("the written stack file does not read back: \(error)\n\(text)\n---\n\(written)")
    }
    return 0
}
