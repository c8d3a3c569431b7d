import CairnCore
import Foundation
import Testing

@Suite("Random identifiers")
struct RandomIdentifierTests {
    @Test("lowercase version 4 UUIDs, as UUID().uuidString.lowercased() gives, all different")
    func format() throws {
        let identifiers = (0..<1000).map { _ in RandomIdentifier.make() }
        #expect(Set(identifiers).count == identifiers.count)
        for identifier in identifiers {
            let uuid = try #require(UUID(uuidString: identifier))
            #expect(uuid.uuidString.lowercased() == identifier)
            let characters = Array(identifier)
            #expect(characters[14] == "4", "version 4: random")
            #expect("89ab".contains(characters[19]), "the RFC 9562 variant")
        }
    }
}
