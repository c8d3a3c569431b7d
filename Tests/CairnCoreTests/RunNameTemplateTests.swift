import CairnCore
import Foundation
import Testing

@Suite("Run-name templates")
struct RunNameTemplateTests {
    let moment = Date(timeIntervalSince1970: 1_795_000_000.123456)

    @Test("the default template gives pipeline, UTC date and time to the microsecond")
    func defaultTemplate() throws {
        let name = try RunNameTemplate(RunNameTemplate.defaultTemplate).expand(pipeline: "training", at: moment)
        #expect(name == "training-2026_11_18-11_06_40_123456")
    }

    @Test("user substitutions fill their placeholders")
    func substitutions() throws {
        let template = try RunNameTemplate("{pipeline}_{experiment}_{date}")
        #expect(template.placeholders == ["pipeline", "experiment", "date"])
        #expect(try template.expand(pipeline: "p", at: moment, substitutions: ["experiment": "lr5"]) == "p_lr5_2026_11_18")
    }

    @Test("malformed templates and missing values are errors that say what is wrong", arguments: [
        ("{pipeline", "the '{' at offset 0 is never closed"),
        ("run}", "the '}' at offset 3 has no matching '{'"),
        ("a{}b", "a placeholder needs a name between '{' and '}'"),
    ])
    func malformed(template: String, reason: String) {
        #expect(throws: CairnError.invalidTemplate(template: template, reason: reason)) { try RunNameTemplate(template) }
    }

    @Test("an unknown placeholder names itself and the known ones")
    func unknownPlaceholder() throws {
        let error = #expect(throws: CairnError.self) { try RunNameTemplate("{nope}").expand(pipeline: "p", at: moment) }
        #expect(error?.description == "invalid run name template \"{nope}\": no value for placeholder '{nope}'; known: date, pipeline, time")
    }

    @Test("a substitution cannot smuggle a path into a run name")
    func hostileSubstitution() {
        #expect(throws: CairnError.self) {
            try RunNameTemplate("{pipeline}-{x}").expand(pipeline: "p", at: moment, substitutions: ["x": "../../etc"])
        }
    }
}
