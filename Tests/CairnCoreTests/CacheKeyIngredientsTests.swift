import CairnCore
import CairnTesting
import Testing

/// The cache key's ingredients are written by hand; stores hold keys hashed from `JSONEncoder`'s text,
/// so the hand-written text must be the encoder's, byte for byte.
@Suite("Cache key ingredients")
struct CacheKeyIngredientsTests {
    /// Strings that JSON escapes, or that an escaper could get wrong.
    static let trickyStrings: [String] =
        [
            "", "plain", "with space", "quote\"inside", "\"", "back\\slash", "\\\\", "\\\"", "a/b", "</script>", "//",
            "\u{7F}", "delete\u{7F}", "café", "cafe\u{301}", "日本語", "😀", "👩‍👩‍👧", "\u{FEFF}bom", "\u{2028}\u{2029}", "\u{FFFD}",
            "\u{10FFFF}", "tab\tnew\nreturn\rfeed\u{0C}back\u{08}", "nul\u{0}byte", "ends with \\",
            String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }),
        ] + (0..<0x20).map { String(Unicode.Scalar(UInt8($0))) }

    /// Keys whose order differs between UTF-8 bytes, UTF-16 code units, case-insensitive, numeric and
    /// Unicode-aware comparisons. (Decomposed forms such as `e\u{301}` are equal to their composed
    /// forms as `String`s, so they cannot be keys of the same dictionary.)
    static let trickyKeys: [String] = [
        "", "a", "B", "b", "A", "10", "9", "09", "_", "Z", "z", "a b", "a\u{0}", "a\u{1}", "é", "f", "\u{FF61}", "😀",
        "\u{E000}", "\u{10000}", "ß", "ss", "Å", "key/with/slashes", "quote\"key", "\u{7F}", "\t",
    ]

    static func ingredients(
        step: String = "train", codeFingerprint: String? = "abc123", parameters: [String: String] = ["rate": "0.5"],
        inputs: [String: [String]] = ["data": ["sha256:00ff"]], outputs: [String: String] = ["model": "cairn.json@1"],
        environment: [String: String] = [:], secretNames: [String] = [], files: [String: String] = [:], sources: [String] = [],
        cacheFunctionValue: String? = nil
    ) -> CacheKeyIngredients {
        CacheKeyIngredients(
            step: step, codeFingerprint: codeFingerprint, parameters: parameters, inputs: inputs, outputs: outputs,
            environment: environment, secretNames: secretNames, files: files, sources: sources, cacheFunctionValue: cacheFunctionValue)
    }

    func expectEncoderText(_ ingredients: CacheKeyIngredients, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let encoded = try CanonicalJSON.string(encoding: ingredients)
        #expect(Array(ingredients.canonicalJSON.utf8) == Array(encoded.utf8), sourceLocation: sourceLocation)
        #expect(try ingredients.key == CanonicalJSON.digest(of: ingredients), sourceLocation: sourceLocation)
    }

    @Test("empty collections and absent optionals are written as the encoder writes them")
    func empty() throws {
        try expectEncoderText(Self.ingredients(codeFingerprint: nil, parameters: [:], inputs: [:], outputs: [:]))
        try expectEncoderText(Self.ingredients(inputs: ["data": []], cacheFunctionValue: ""))
        try expectEncoderText(Self.ingredients(codeFingerprint: "", cacheFunctionValue: "v2"))
        try expectEncoderText(Self.ingredients(codeFingerprint: nil, cacheFunctionValue: "v2"))
    }

    @Test("a typical step's ingredients")
    func typical() throws {
        try expectEncoderText(Self.ingredients(
            step: "increment", codeFingerprint: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            parameters: ["by": "1", "label": "\"x\"", "options": #"{"a":[1,2],"b":null}"#],
            inputs: ["value": ["value:41"], "data": ["sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"]],
            outputs: ["value": "cairn.json@1"], environment: ["PATH": "/usr/bin:/bin", "HOME": "/home/me"],
            secretNames: ["API_KEY", "TOKEN"], files: ["/data/in.csv": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
            sources: ["helper:1234"], cacheFunctionValue: "2025-01"))
    }

    @Test("every tricky string, as a value, a key and an element", arguments: trickyStrings)
    func trickyString(_ string: String) throws {
        try expectEncoderText(Self.ingredients(
            step: string, codeFingerprint: string, parameters: [string: string], inputs: [string: [string, string]],
            outputs: [string: string], environment: [string: string], secretNames: [string], files: [string: string], sources: [string],
            cacheFunctionValue: string))
    }

    @Test("keys are sorted as the encoder sorts them")
    func sortedKeys() throws {
        let members = Dictionary(uniqueKeysWithValues: Self.trickyKeys.enumerated().map { ($1, "\($0)") })
        try expectEncoderText(Self.ingredients(
            parameters: members, inputs: members.mapValues { [$0, $0] }, outputs: members, environment: members, files: members))
    }

    @Test("random ingredients of tricky characters")
    func random() throws {
        var generator = SeededGenerator(seed: 7)
        let pieces = Self.trickyStrings + Self.trickyKeys + ["x", "Y", "1", "-", ".", ":", "@", "~"]
        func string() -> String {
            (0..<Int.random(in: 0...4, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
        }
        func dictionary<V>(_ value: () -> V) -> [String: V] {
            var members: [String: V] = [:]
            for _ in 0..<Int.random(in: 0...6, using: &generator) { members[string()] = value() }
            return members
        }
        func list() -> [String] {
            (0..<Int.random(in: 0...3, using: &generator)).map { _ in string() }
        }
        for _ in 0..<300 {
            try expectEncoderText(Self.ingredients(
                step: string(), codeFingerprint: Bool.random(using: &generator) ? string() : nil, parameters: dictionary(string),
                inputs: dictionary(list), outputs: dictionary(string), environment: dictionary(string), secretNames: list(),
                files: dictionary(string), sources: list(), cacheFunctionValue: Bool.random(using: &generator) ? string() : nil))
        }
    }
}
