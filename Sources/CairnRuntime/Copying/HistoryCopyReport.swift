/// What copying a stack's history into another stack did (``Stack/copyHistory(to:)``).
///
/// `cairn store copy` prints it, as a summary or, with `--json`, whole.
public struct HistoryCopyReport: Sendable, Codable, Equatable {
    /// A run that was not copied, and why.
    public struct SkippedRun: Sendable, Codable, Equatable {
        /// The run's identifier.
        public var id: String
        /// The run's name.
        public var name: String
        /// Why it was not copied, and what to do about it.
        public var reason: String

        /// Describes a skipped run.
        public init(id: String, name: String, reason: String) {
            self.id = id
            self.name = name
            self.reason = reason
        }
    }

    /// An object the source's artifact store could not give: its artifact versions are marked
    /// unusable in the destination, so that a run there recomputes them.
    public struct MissingObject: Sendable, Codable, Equatable {
        /// The object's digest.
        public var digest: String
        /// What is wrong with it.
        public var problem: String

        /// Describes a missing object.
        public init(digest: String, problem: String) {
            self.digest = digest
            self.problem = problem
        }
    }

    /// The name of the stack copied from.
    public var source: String
    /// The name of the stack copied to.
    public var destination: String
    /// The names of the runs copied, in the order they were copied: each run after those whose
    /// outputs it uses.
    public var copiedRuns: [String] = []
    /// How many runs the destination held already.
    public var presentRunCount = 0
    /// The runs not copied: still running, or using outputs of a run that was not copied.
    public var skippedRuns: [SkippedRun] = []
    /// How many artifact versions were copied: those the copied runs produced, and those saved
    /// outside pipelines.
    public var copiedArtifactVersionCount = 0
    /// How many objects (artifacts' bytes, step logs and visualizations) were copied between the
    /// artifact stores.
    public var copiedObjectCount = 0
    /// How many bytes those objects hold.
    public var copiedBytes: Int64 = 0
    /// How many objects the destination's artifact store held already: all of them when the two
    /// stacks share one.
    public var presentObjectCount = 0
    /// The objects the source's artifact store lacks or holds changed.
    public var missingObjects: [MissingObject] = []

    /// Makes an empty report of a copy from `source` to `destination`.
    public init(source: String, destination: String) {
        self.source = source
        self.destination = destination
    }
}
