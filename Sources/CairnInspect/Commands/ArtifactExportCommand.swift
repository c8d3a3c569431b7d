import ArgumentParser
import Cairn
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `cairn artifact export NAME[:VERSION] PATH`: copies an artifact version's bytes out of the store.
struct ArtifactExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Copy an artifact version's bytes to a file, checking them against their digest.",
        discussion: """
            The bytes are written as stored: JSON for Codable values, UTF-8 text for strings, NumPy .npy \
            for number arrays. Nothing is written if they do not match their digest.
            """)

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("The artifact: NAME (the latest version), NAME:VERSION, or a version's identifier.", valueName: "artifact"))
    var artifact: String

    @Argument(help: ArgumentHelp("The file to write, or a folder to write NAME_vVERSION.EXT into.", valueName: "path"))
    var path: String

    @Flag(help: "Replace the file if it exists.")
    var force = false

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        let version = try await store.artifactVersion(artifact) { "cairn artifact export \($0) \(path)" }
        var destination = URL(filePath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination.path, isDirectory: &isDirectory) {
            if isDirectory.boolValue {
                destination = destination.appending(path: Self.fileName(for: version))
            }
            if FileManager.default.fileExists(atPath: destination.path), !force {
                throw CommandError("\(destination.path) exists already", hint: "Replace it with: cairn artifact export \(artifact) \(path) --force")
            }
        }
        let folder = destination.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw CommandError("the folder \(folder.path) does not exist", hint: "Create it first: mkdir -p \(folder.path)")
        }
        let temporary = folder.appending(path: ".cairn-export-\(UUID().uuidString.lowercased())")
        do {
            try await store.artifacts.load(version.digest) { reader in try Self.copy(reader, to: temporary.path) }
            guard rename(temporary.path, destination.path) == 0 else {
                throw CommandError("cannot write \(destination.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary.path)
            throw error
        }
        if options.json {
            try console.json(ExportReport(version: version, path: destination.path))
        } else {
            console.line("Wrote \(version.name):\(version.version) (\(Format.bytes(version.size)), digest checked) to \(destination.path)")
        }
    }

    /// `{name with :: as __}_v{version}.{extension}`.
    static func fileName(for version: ArtifactVersionRecord) -> String {
        let fileExtension = switch version.serializer {
        case "cairn.json": "json"
        case "cairn.text": "txt"
        case "cairn.npy": "npy"
        default: "bin"
        }
        return version.name.replacingOccurrences(of: "::", with: "__").replacingOccurrences(of: ":", with: "_")
            + "_v\(version.version).\(fileExtension)"
    }

    /// Streams what `reader` holds into a new file at `path`, 1 MiB at a time.
    static func copy(_ reader: any ByteReader, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw CommandError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while reader.remainingCount > 0 {
            let count = min(buffer.count, reader.remainingCount)
            try buffer.withUnsafeMutableBytes { bytes in
                try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[0..<count]))
                var written = 0
                while written < count {
                    let result = write(descriptor, bytes.baseAddress! + written, count - written)
                    guard result > 0 else { throw CommandError("cannot write \(path): \(String(cString: strerror(errno)))") }
                    written += result
                }
            }
        }
    }
}

/// What `cairn artifact export --json` prints.
struct ExportReport: Encodable {
    var version: ArtifactVersionRecord
    var path: String
}
