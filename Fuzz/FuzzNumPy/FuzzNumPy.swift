import CairnCore
import Foundation

// libFuzzer target: `.npy` files, as the NumPy serializer reads them back from the artifact store
// (before the digest is checked, so their bytes may be anything).

/// Reads the input as arrays of each element type. Errors are expected; a crash is a bug, and so is
/// an array that does not write back to the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNumPy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    check(NumPyArtifactSerializer<Double>(), bytes)
    check(NumPyArtifactSerializer<Int32>(), bytes)
    check(NumPyArtifactSerializer<UInt8>(), bytes)
    return 0
}

private func check<Element: NumPyElement>(_ serializer: NumPyArtifactSerializer<Element>, _ bytes: Data) {
    guard let values = try? serializer.read(from: DataReader(bytes)) else { return }
    let writer = DataWriter()
    try! serializer.write(values, to: writer)
    let again = try! serializer.read(from: DataReader(writer.data))
    // Bytes, not values: NaN is not equal to itself.
    precondition(again.withUnsafeBytes { Data($0) } == values.withUnsafeBytes { Data($0) }, "an array that does not read back")
}
