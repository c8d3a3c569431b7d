public import Foundation

/// A recorded pipeline run.
public struct RunRecord: Codable, Sendable, Equatable, Identifiable {
    /// The run's unique identifier.
    public var id: String
    /// The run's unique name, from the pipeline's run-name template.
    public var name: String
    /// The pipeline's name.
    public var pipelineName: String
    /// The run's status.
    public var status: ExecutionStatus
    /// When the run started.
    public var startedAt: Date
    /// When the run finished.
    public var endedAt: Date?
    /// The resolved configuration: options and parameters, as canonical JSON.
    public var configuration: String
    /// The compiled graph the run executes.
    public var graph: PipelineGraph
    /// Why the run failed.
    public var error: String?
    /// The pipeline's named outputs: output name to artifact version identifier.
    public var outputs: [String: String]
    /// The host of the process that runs the pipeline.
    public var host: String
    /// The identifier of the process that runs the pipeline.
    public var processID: Int32
    /// When that process started, as its host counts time (on Linux, the boot and the clock tick):
    /// what tells it apart from a later process given the same identifier. `nil` where the host
    /// does not say.
    public var processStart: String?
    /// When the process running the pipeline last said it was alive.
    public var heartbeatAt: Date?

    /// Makes a record.
    public init(
        id: String, name: String, pipelineName: String, status: ExecutionStatus, startedAt: Date, endedAt: Date? = nil,
        configuration: String, graph: PipelineGraph, error: String? = nil, outputs: [String: String] = [:],
        host: String, processID: Int32, processStart: String? = nil, heartbeatAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.pipelineName = pipelineName
        self.status = status
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.configuration = configuration
        self.graph = graph
        self.error = error
        self.outputs = outputs
        self.host = host
        self.processID = processID
        self.processStart = processStart
        self.heartbeatAt = heartbeatAt
    }
}

extension RunRecord {
    /// Why a run that is not failed or stopped cannot be resumed.
    package var whyNotResumable: String {
        status == .running || status == .initializing
            ? "it is running (process \(processID) on \(host)); resume it once it has stopped"
            : "it is \(status.rawValue); only failed or stopped runs can be resumed"
    }
}

/// What a run needs to be created; the store gives it its identifier and a unique name.
public struct NewRun: Sendable {
    /// The name wanted. If another run has it, the store appends `_2`, `_3`, … until it is unique
    /// when ``isNumbered`` is set, and refuses the run otherwise.
    public var name: String
    /// Whether a name already taken gets a number: for names made from a template with a date or
    /// time, which two runs in the same second share. A name chosen as it is must be free.
    public var isNumbered: Bool
    /// The pipeline's name; the pipeline is registered on its first run.
    public var pipelineName: String
    /// The resolved configuration, as canonical JSON.
    public var configuration: String
    /// The compiled graph.
    public var graph: PipelineGraph
    /// When the run starts.
    public var startedAt: Date
    /// The host and process that run it.
    public var host: String
    /// The identifier of the process that runs it.
    public var processID: Int32
    /// When that process started (``RunRecord/processStart``).
    public var processStart: String?

    /// Makes a request.
    public init(
        name: String, isNumbered: Bool = true, pipelineName: String, configuration: String, graph: PipelineGraph, startedAt: Date, host: String,
        processID: Int32, processStart: String? = nil
    ) {
        self.name = name
        self.isNumbered = isNumbered
        self.pipelineName = pipelineName
        self.configuration = configuration
        self.graph = graph
        self.startedAt = startedAt
        self.host = host
        self.processID = processID
        self.processStart = processStart
    }
}
