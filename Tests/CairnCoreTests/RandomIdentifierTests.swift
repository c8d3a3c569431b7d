import CairnCore
import Foundation
import Testing

@Suite("Record identifiers", .timeLimit(.minutes(1)))
struct RandomIdentifierTests {
    @Test("lowercase version 7 UUIDs, as UUID().uuidString.lowercased() gives, all different, starting with the time in milliseconds")
    func format() throws {
        let before = UInt64(Date().timeIntervalSince1970 * 1000)
        let identifiers = (0..<1000).map { _ in RandomIdentifier.make() }
        let after = UInt64(Date().timeIntervalSince1970 * 1000)
        #expect(Set(identifiers).count == identifiers.count)
        for identifier in identifiers {
            let uuid = try #require(UUID(uuidString: identifier))
            #expect(uuid.uuidString.lowercased() == identifier)
            let characters = Array(identifier)
            #expect(characters[14] == "7", "version 7: time-ordered")
            #expect("89ab".contains(characters[19]), "the RFC 9562 variant")
            let milliseconds = try #require(UInt64(identifier.prefix(13).replacing("-", with: ""), radix: 16))
            #expect((before...after).contains(milliseconds))
        }
    }

    @Test("identifiers made in later milliseconds sort after earlier ones")
    func ordered() async throws {
        let first = RandomIdentifier.make()
        try await Task.sleep(for: .milliseconds(2))
        let second = RandomIdentifier.make()
        #expect(first < second)
    }
}
