import CairnCore
import Testing

@Suite("--param arguments")
struct ParameterArgumentTests {
    @Test("key=value is split at the first '=' and read to fit the default's type", arguments: [
        ("rate=0.5", JSONValue.number(0.1), JSONValue.number(0.5)),
        ("name=a=b", .string("x"), .string("a=b")),
        ("name=42", .string("x"), .string("42")),
        ("flag=true", .bool(false), .bool(true)),
        ("sizes=[1,2]", .array([]), .array([.number(1), .number(2)])),
    ])
    func parses(argument: String, defaultValue: JSONValue, expected: JSONValue) throws {
        let parsed = try ParameterArgument(parsing: argument)
        #expect(try parsed.value(fitting: defaultValue) == expected)
    }

    @Test("an argument without '=' or without a key is refused with an example", arguments: ["rate", "=0.5", ""])
    func malformed(argument: String) {
        #expect(throws: CairnError.invalidParameter(argument: argument, reason: "expected key=value, for example --param learning_rate=0.1")) {
            try ParameterArgument(parsing: argument)
        }
    }

    @Test("a value of the wrong type names the parameter, its type and its default")
    func wrongType() throws {
        let error = #expect(throws: CairnError.self) { try ParameterArgument(parsing: "count=abc").value(fitting: .number(5)) }
        #expect(error?.description == "invalid parameter \"count=abc\": 'count' takes a number, like its default 5")
        #expect(throws: CairnError.self) { try ParameterArgument(parsing: "flag=1").value(fitting: .bool(false)) }
    }
}
