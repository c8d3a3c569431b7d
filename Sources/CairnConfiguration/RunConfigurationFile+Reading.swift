import CairnCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension RunConfigurationFile {
    /// The largest configuration file Cairn reads: 1 MiB, a hundred times a long real one.
    public static let maximumFileSize = 1_048_576

    /// The text of the file at `path`, read with `open` and `read`, so that a pipe, a FIFO or
    /// `/dev/stdin` reads as a file does, and every failure is named with the system's reason.
    static func readText(at path: String) throws -> String {
        func failure(_ reason: String) -> CairnError {
            .invalidConfiguration(key: "", reason: reason, location: SourceLocation(file: path, line: 1, column: 1))
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw CairnError.notFound(kind: "configuration file", name: path, suggestion: nil)
        }
        if isFolder.boolValue { throw failure("this is a folder; give the path of a YAML file") }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("cannot open the file: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while bytes.count <= maximumFileSize {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read the file: \(String(cString: strerror(errno)))")
            }
            bytes.append(contentsOf: buffer[..<count])
        }
        guard bytes.count <= maximumFileSize else {
            throw failure("the file is larger than \(maximumFileSize / 1_048_576) MiB, the limit for a configuration file")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw failure("the file is not UTF-8 text")
        }
        return text
    }
}
