extension CompiledPipeline {
    /// One call of a dynamic pipeline as a pipeline of its own, which is what runs it: the run's
    /// per-step overrides applied, and caching off when the run turned it off.
    ///
    /// Overrides that do not fit the call (an unknown parameter, a value of the wrong type) make it
    /// fail as a step, with the reason, since the body has already started.
    package func call(_ node: PipelineNode, definition: StepDefinition) -> CompiledPipeline {
        var single = CompiledPipeline(
            name: name, options: options, parametersJSON: parametersJSON, graph: PipelineGraph(nodes: [node]),
            definitions: [node.invocation: definition], outputs: [:], hooks: hooks)
        if let overrides = stepOverrides[node.invocation] {
            do {
                single = try single.applying(stepOverrides: [node.invocation: overrides])
            } catch {
                single.definitions[node.invocation]?.problems.append("its overrides in the run configuration do not apply: \(error)")
            }
        }
        return cacheDisabled ? single.disablingCache() : single
    }
}
