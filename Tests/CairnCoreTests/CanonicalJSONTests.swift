import CairnCore
import Foundation
import Testing

@Suite("Canonical JSON")
struct CanonicalJSONTests {
    @Test("strings by name are written as the encoder writes them")
    func stringMembers() throws {
        let tricky = CacheKeyIngredientsTests.trickyStrings + CacheKeyIngredientsTests.trickyKeys
        let cases: [[String: String]] = [
            [:], ["rate": "0.5"], ["data": #"{"a":[1,2],"b":"x\/y"}"#, "count": "3"],
            Dictionary(tricky.map { ($0, $0) }, uniquingKeysWith: { first, _ in first }),
        ] + tricky.map { [$0: $0] }
        for members in cases {
            let encoded = String(decoding: try CanonicalJSON.makeEncoder().encode(members), as: UTF8.self)
            #expect(Array(CanonicalJSON.string(encoding: members).utf8) == Array(encoded.utf8))
        }
    }
}
