import Foundation
import Testing

import CairnInspection
@testable import CairnInspect

@Suite("Parsing times and artifact references")
struct ParsingTests {
    static let now = Date(timeIntervalSince1970: 1_735_812_000)

    /// Texts and the seconds before (negative) or after `now` they mean.
    static let timeCases: [(String, Double)] = [
        ("30s", -30), ("2h", -7200), ("7d", -604_800), ("2w", -1_209_600),
        ("2025-01-02T10:00:00Z", 0), ("2025-01-02 10:00:00.5Z", 0.5), ("2025-01-02T12:00+02:00", 0),
        ("2025-01-02T05:00:00-0500", 0),
    ]

    @Test("a time ago or an ISO 8601 date with a zone", arguments: timeCases)
    func times(text: String, expected: Double) throws {
        #expect(try PointInTime.parse(text, now: Self.now).timeIntervalSince(Self.now) == expected)
    }

    @Test("a date without a zone is local midnight")
    func localDate() throws {
        let date = try PointInTime.parse("2025-01-02", now: Self.now)
        #expect(Format.date(date, utc: false) == "2025-01-02 00:00:00")
    }

    @Test("anything else is refused", arguments: ["", "h", "2x", "-3h", "2025-13-01", "2025-01-02T25:00", "2025-01-02 10:00 UTC", "yesterday"])
    func invalidTimes(text: String) {
        #expect(throws: (any Error).self) { try PointInTime.parse(text, now: Self.now) }
    }

    @Test("NAME, NAME:VERSION and NAME:latest; the :: inside names is never a version", arguments: [
        ("training::train::model", ArtifactReference(name: "training::train::model")),
        ("training::train::model:3", ArtifactReference(name: "training::train::model", version: 3)),
        ("training::train::model:latest", ArtifactReference(name: "training::train::model")),
        ("training::train::3", ArtifactReference(name: "training::train::3")),
        ("model:x", ArtifactReference(name: "model:x")),
        ("model:0", ArtifactReference(name: "model", version: 0)),
        ("model:-1", ArtifactReference(name: "model", version: -1)),
    ])
    func artifactReferences(text: String, expected: ArtifactReference) {
        #expect(ArtifactReference(parsing: text) == expected)
    }

    @Test("durations and sizes for people", arguments: [
        (0.0123, "12 ms"), (1.5, "1.50 s"), (185.0, "3 min 05 s"), (7500.0, "2 h 05 min"),
    ])
    func durations(seconds: Double, expected: String) {
        #expect(Format.duration(seconds) == expected)
    }

    @Test("sizes", arguments: [(Int64(512), "512 B"), (2048, "2.00 KiB"), (15_000_000, "14.3 MiB"), (3_000_000_000, "2.79 GiB")])
    func sizes(bytes: Int64, expected: String) {
        #expect(Format.bytes(bytes) == expected)
    }

    @Test("counts", arguments: [(0, "0"), (999, "999"), (1000, "1,000"), (100_000, "100,000"), (1_000_000, "1,000,000"), (-12345, "-12,345")])
    func counts(value: Int, expected: String) {
        #expect(Format.count(value) == expected)
    }
}
