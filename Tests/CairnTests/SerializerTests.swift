import Cairn
import CairnFixturePipelines
import CairnCore
import Foundation
import Testing

/// A user type with its own serializer: upper-case text.
struct Shout: ArtifactSerializable, Equatable {
    var text: String
    static var artifactSerializer: ShoutSerializer { ShoutSerializer() }
}

struct ShoutSerializer: ArtifactSerializer {
    var identifier: String { "test.shout" }
    func write(_ value: Shout, to writer: any ByteWriter) throws { try writer.write(Data(value.text.uppercased().utf8)) }
    func read(from reader: any ByteReader) throws -> Shout { Shout(text: String(decoding: try reader.readToEnd(), as: UTF8.self)) }
}

@Suite("Serializers")
struct SerializerTests {
    /// Writes `value` with the serializer Cairn picks for its type and reads it back.
    func roundTrip<T>(_ value: T) throws -> (value: T, serializer: String, bytes: Data) {
        let serializer = try SerializerRegistry.serializer(for: T.self).get()
        let writer = DataWriter()
        try serializer.write(value, to: writer)
        let read = try serializer.read(from: DataReader(writer.data))
        return (try #require(read as? T), serializer.identifier, writer.data)
    }

    @Test("every built-in serializer round-trips, with the expected format")
    func builtIns() throws {
        #expect(try roundTrip("héllo ✓").value == "héllo ✓")
        #expect(try roundTrip("text").serializer == "cairn.text")
        #expect(try roundTrip(Data([0, 1, 255])).value == Data([0, 1, 255]))
        #expect(try roundTrip(Data()).serializer == "cairn.bytes")
        #expect(try roundTrip(42).value == 42)
        #expect(try roundTrip(-1.5).value == -1.5)
        #expect(try roundTrip(Double.infinity).value == .infinity)
        #expect(try roundTrip(Float(2.5)).value == 2.5)
        #expect(try roundTrip(true).value == true)
        #expect(try roundTrip(true).serializer == "cairn.json")
        #expect(try roundTrip(["a": 1, "b": 2]).value == ["a": 1, "b": 2])
        #expect(try roundTrip([Float]([1.5, -2, 3])).value == [1.5, -2, 3])
        #expect(try roundTrip([Double]([.pi, 0, -1e300])).value == [.pi, 0, -1e300])
        #expect(try roundTrip([Int]([1, -2, Int.max])).value == [1, -2, Int.max])
        #expect(try roundTrip([Int32]([7, -7])).value == [7, -7])
        #expect(try roundTrip([UInt8]([0, 255])).value == [0, 255])
        #expect(try roundTrip([Double]()).value == [])
        #expect(try roundTrip([Double]([1])).serializer == "cairn.npy")
        #expect(try roundTrip([[1.0, 2.0], [3.0]]).value == [[1.0, 2.0], [3.0]])
        #expect(try roundTrip(Model(weight: 2)).value == Model(weight: 2))
        #expect(try roundTrip(Shout(text: "hey")).value == Shout(text: "HEY"))
        #expect(try roundTrip(Shout(text: "hey")).serializer == "test.shout")
    }

    @Test("JSON is canonical: the same value always gives the same bytes")
    func canonicalJSON() throws {
        let first = try roundTrip(["b": 1, "a": 2, "c": 3]).bytes
        let second = try roundTrip(["c": 3, "a": 2, "b": 1]).bytes
        #expect(first == second)
        #expect(String(decoding: first, as: UTF8.self) == #"{"a":2,"b":1,"c":3}"#)
    }

    @Test(".npy files follow NumPy's format: magic, version 1.0, a padded header, then the raw data")
    func numPyLayout() throws {
        let bytes = try roundTrip([Double]([1, 2, 3])).bytes
        #expect(Array(bytes.prefix(8)) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"))
        #expect(header.hasSuffix("\n"))
        #expect(bytes.count == 10 + headerLength + 3 * 8)
    }

    @Test(".npy files load in NumPy", .enabled(if: PythonWithNumPy.isAvailable, "needs python3 with numpy"))
    func numPyReadsIt() async throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "cairn-\(UUID().uuidString).npy")
        defer { try? FileManager.default.removeItem(at: file) }
        try roundTrip([Float]([0.5, 1.5, -2])).bytes.write(to: file)
        let printed = try await PythonWithNumPy.run("import numpy; a = numpy.load('\(file.path)'); print(a.dtype, a.tolist())")
        #expect(printed == "float32 [0.5, 1.5, -2.0]")
    }

    @Test("a malformed .npy file is refused with a clear error")
    func malformedNumPy() throws {
        let serializer = NumPyArtifactSerializer<Double>()
        #expect(throws: CairnError.corruptArtifact("not a .npy file: the magic bytes are missing")) {
            try serializer.read(from: DataReader(Data("not numpy at all".utf8)))
        }
        let floats = DataWriter()
        try NumPyArtifactSerializer<Float>().write([1, 2], to: floats)
        let error = #expect(throws: CairnError.self) { try serializer.read(from: DataReader(floats.data)) }
        #expect(error?.description.contains("does not describe <f8 elements") == true)
    }

    @Test("a type with no serializer is an error that names it; there is no opaque fallback")
    func noSerializer() {
        final class Opaque {}
        guard case .failure(let error) = SerializerRegistry.serializer(for: Opaque.self) else {
            Issue.record("an opaque type got a serializer")
            return
        }
        #expect(error.description.hasPrefix("no serializer for type "))
        #expect(error.description.contains("Opaque"))
    }
}

/// Runs Python snippets when python3 with numpy is on this machine.
enum PythonWithNumPy {
    static let isAvailable = (try? run("import numpy")) != nil

    /// Runs `code`, waiting on the calling thread: for the test's condition, before any test runs.
    static func run(_ code: String) throws -> String {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = ["python3", "-c", code]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readAllBytes(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CairnError.store("python3 exited with \(process.terminationStatus)") }
        return printed.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `code` without blocking Swift's cooperative threads.
    static func run(_ code: String) async throws -> String {
        try await OwnThread.run { try run(code) }
    }
}
