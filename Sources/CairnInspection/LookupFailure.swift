/// Why a look-up (``StoreLookup``) found nothing: what is wrong, and the name closest to the one given.
public struct LookupFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was looked for.
    public enum Subject: Sendable, Equatable {
        /// A run, by name or identifier.
        case run
        /// A pipeline with runs.
        case pipeline
        /// A step of `run`, whose graph has these invocations.
        case step(run: String, invocations: [String])
        /// An artifact, by name.
        case artifact
        /// A version of the artifact `name`, which has other versions.
        case artifactVersion(name: String)
    }

    /// What was looked for.
    public var subject: Subject
    /// What is wrong, as a sentence without a final period: `no run named 'diamnd-1'; did you mean 'diamond-1'?`.
    public var problem: String
    /// The reference closest to the one given, to try instead.
    public var suggestion: String?

    /// Makes a failure.
    public init(_ subject: Subject, problem: String, suggestion: String? = nil) {
        self.subject = subject
        self.problem = problem
        self.suggestion = suggestion
    }

    /// The problem.
    public var description: String { problem }
}
