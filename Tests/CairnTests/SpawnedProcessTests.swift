import CairnTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("SpawnedProcess", .timeLimit(.minutes(1)))
struct SpawnedProcessTests {
    @Test("A spawned program gets no descriptor of this process but its standard input, output and error")
    func noInheritedDescriptors() async throws {
        // A pipe without close-on-exec, as another test's child process may have one open.
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { ends.forEach { _ = close($0) } }
        let (status, output) = try await SpawnedProcess.run(["/bin/ls", "/proc/self/fd"])
        #expect(status == 0)
        let inherited = Set(output.split(separator: "\n").compactMap { Int32($0) })
        #expect(inherited.isDisjoint(with: ends), "the pipe's ends \(ends) are not in \(inherited.sorted())")
        #expect(inherited.isSuperset(of: [0, 1, 2]))
    }
}
