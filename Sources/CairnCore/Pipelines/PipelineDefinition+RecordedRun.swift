extension PipelineDefinition {
    /// The pipeline as `run` executes it: compiled with the parameters, per-step overrides and
    /// options the run recorded. Resuming a run, and running one of its steps in another process,
    /// start from it.
    public func compile(as run: RunRecord) throws -> CompiledPipeline {
        let configuration = try CanonicalJSON.decode(RunConfiguration.self, from: run.configuration)
        var compiled = try compile(parameterOverrides: configuration.parameters.objectValue ?? [:]).applying(stepOverrides: configuration.steps)
        compiled.options = configuration.options
        return compiled
    }
}
