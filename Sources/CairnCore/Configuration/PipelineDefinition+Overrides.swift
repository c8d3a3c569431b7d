extension PipelineDefinition {
    /// Compiles the pipeline with a run configuration's changes: parameters laid over the defaults,
    /// options replaced, then per-step options and parameters applied to the graph.
    ///
    /// An error in the step overrides is ``CairnError/invalidConfiguration(key:reason:location:)``
    /// naming the setting, such as `steps.train.parameters.epochs`.
    public func compile(overrides: RunOverrides) throws -> CompiledPipeline {
        var compiled = try compile(parameterOverrides: overrides.parameters)
        overrides.apply(to: &compiled.options)
        return try compiled.applying(stepOverrides: overrides.steps)
    }

    /// Checks pipeline parameter values one by one, so that an error names the one that is wrong:
    /// ``CairnError/invalidConfiguration(key:reason:location:)`` with the key `parameters.NAME`.
    public func validate(parameters: [String: JSONValue]) throws {
        let known = try defaultParameters.objectValue?.keys.sorted() ?? []
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            let key = "parameters.\(name)"
            guard known.contains(name) else {
                throw CairnError.invalidConfiguration(
                    key: key, reason: Suggestion.unknown("parameter", name, in: "parameters", known: known), location: nil)
            }
            do {
                _ = try self.parameters(overriding: [name: value])
            } catch let CairnError.invalidPipeline(_, reason) {
                throw CairnError.invalidConfiguration(
                    key: key, reason: "wrong type for \(key): \(reason), found \(value.typeName) \(CanonicalJSON.string(encoding: value))",
                    location: nil)
            }
        }
    }
}
