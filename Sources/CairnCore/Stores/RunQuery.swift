public import Foundation

/// Which runs to list.
public struct RunQuery: Sendable, Equatable {
    /// Only runs of this pipeline.
    public var pipelineName: String?
    /// Only runs with this status.
    public var status: ExecutionStatus?
    /// Only runs that started at or after this date.
    public var startedAfter: Date?
    /// Only runs with this tag (see ``PipelineOptions/tags``).
    public var tag: String?
    /// At most this many runs.
    public var limit: Int
    /// Skip this many runs first.
    public var offset: Int

    /// Makes a query; by default, the 20 newest runs.
    public init(
        pipelineName: String? = nil, status: ExecutionStatus? = nil, startedAfter: Date? = nil, tag: String? = nil, limit: Int = 20,
        offset: Int = 0
    ) {
        self.pipelineName = pipelineName
        self.status = status
        self.startedAfter = startedAfter
        self.tag = tag
        self.limit = limit
        self.offset = offset
    }
}
