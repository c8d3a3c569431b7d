public import CairnCore
public import CairnRuntime
public import Foundation

extension PipelineDefinition {
    /// Stores a schedule that runs this pipeline, after checking it: a scheduler serving the pipeline
    /// (`<executable> scheduler`, or ``Scheduler`` in `CairnScheduler`) fires it.
    ///
    /// ```swift
    /// try await training.schedule("nightly", try ScheduleTiming(.cron(CronExpression("0 2 * * *"), timeZone: "Europe/London")))
    /// ```
    ///
    /// - Parameters:
    ///   - name: The schedule's name, unique in the store.
    ///   - timing: When it fires.
    ///   - parameters: Parameter values for its runs, over the configuration's and the pipeline's defaults.
    ///   - configuration: The text of a YAML run configuration for its runs.
    ///   - stack: Where it is stored and its runs go; by default, the active stack.
    ///   - date: When it is made: its occurrences before this are not run.
    /// - Returns: The stored schedule.
    /// - Throws: An error naming the problem, with nothing stored: a bad name, parameters or a
    ///   configuration the pipeline does not take (`CairnError.invalidParameter`, `.invalidConfiguration`),
    ///   or a name already taken (`CairnError.nameTaken(kind:name:)`).
    @discardableResult
    public func schedule(
        _ name: String, _ timing: ScheduleTiming, parameters: [String: JSONValue] = [:], configuration: String? = nil,
        on stack: Stack? = nil, at date: Date = Date()
    ) async throws -> ScheduleRecord {
        try Names.validate(name, kind: "schedule")
        let schedule = ScheduleRecord(
            name: name, pipelineName: self.name, timing: timing, parameters: CanonicalJSON.string(encoding: JSONValue.object(parameters)),
            configuration: configuration, createdAt: date)
        _ = try schedule.compile(self)
        let stack = if let stack { stack } else { try await Stack.open(StackSelection.resolve()) }
        try await stack.metadata.createSchedule(schedule)
        return schedule
    }
}

extension Pipeline {
    /// Stores a schedule that runs this pipeline with `parameters`, after checking it; see
    /// ``PipelineDefinition/schedule(_:_:parameters:configuration:on:at:)``.
    ///
    /// ```swift
    /// try await training.schedule("hourly", try ScheduleTiming(.interval(every: 3600, from: .now)), parameters: Parameters(learningRate: 0.05))
    /// ```
    @discardableResult
    public func schedule(
        _ name: String, _ timing: ScheduleTiming, parameters: Parameters, configuration: String? = nil, on stack: Stack? = nil,
        at date: Date = Date()
    ) async throws -> ScheduleRecord {
        let values = try CanonicalJSON.decode(JSONValue.self, from: CanonicalJSON.string(encoding: parameters)).objectValue ?? [:]
        return try await schedule(name, timing, parameters: values, configuration: configuration, on: stack, at: date)
    }
}
