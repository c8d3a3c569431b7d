package import Foundation

extension FileHandle {
    /// Every byte up to the end, reading again when a signal interrupts a read (`EINTR`), where
    /// Foundation's `readDataToEndOfFile()` traps: a process that starts and reaps children receives
    /// signals while it reads their output.
    package func readAllBytes() -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[..<count])
            } else if count == 0 || errno != EINTR {
                return data
            }
        }
    }
}
