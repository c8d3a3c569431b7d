import CairnConfiguration
public import CairnCore

extension ScheduleRecord {
    /// The pipeline compiled for a run of this schedule: its parameters laid over its configuration's,
    /// over the pipeline's defaults.
    ///
    /// - Throws: `CairnError.invalidParameter(argument:reason:)`, `.invalidConfiguration(key:reason:location:)`
    ///   or `.invalidParameters(pipeline:reason:)` when the pipeline does not take them.
    public func compile(_ pipeline: any PipelineDefinition) throws -> CompiledPipeline {
        let values = try CanonicalJSON.decode(JSONValue.self, from: parameters).objectValue ?? [:]
        guard let configuration else { return try pipeline.compile(parameterOverrides: values) }
        let file = try RunConfigurationFile(yaml: configuration, path: "the configuration of schedule '\(name)'")
        return try file.compile(pipeline, parameterOverrides: values)
    }
}
