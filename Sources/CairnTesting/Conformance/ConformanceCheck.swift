public import Testing

/// One check of a conformance suite: a name, and a body that checks one implementation of a protocol
/// with swift-testing's expectations.
///
/// A suite is a list of checks; a test runs each on a fresh subject, so that a failure names the
/// check, and the checks of one implementation run in parallel:
///
/// ```swift
/// @Test(arguments: MetadataStoreConformance.checks)
/// func conforms(to check: ConformanceCheck<any MetadataStore>) async throws {
///     try await check.run(on: MyStore(path: temporaryPath()))
/// }
/// ```
public struct ConformanceCheck<Subject>: Sendable, CustomTestStringConvertible {
    /// What the check asserts, as a sentence.
    public let name: String
    private let body: @Sendable (Subject) async throws -> Void

    /// Makes a check named `name` whose `body` checks a subject.
    public init(_ name: String, _ body: @escaping @Sendable (Subject) async throws -> Void) {
        self.name = name
        self.body = body
    }

    /// Runs the check on `subject`; failed expectations are recorded as issues of the running test.
    public func run(on subject: Subject) async throws {
        try await body(subject)
    }

    /// The check's name, as test reports show an argument.
    public var testDescription: String { name }
}
