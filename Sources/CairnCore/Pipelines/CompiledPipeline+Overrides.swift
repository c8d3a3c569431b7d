extension CompiledPipeline {
    /// A copy with per-step overrides applied, by invocation name.
    ///
    /// A parameter replaces the value of that step input in the graph, after decoding it as the input's
    /// type; `enableCache` replaces the step's ``StepOptions/enableCache``. The overrides are kept in
    /// ``stepOverrides`` so that a run records them and another process can apply them again.
    ///
    /// An unknown step, an unknown input, an input that is an artifact rather than a parameter, or a
    /// value of the wrong type is ``CairnError/invalidConfiguration(key:reason:location:)`` naming the
    /// setting (`steps.train.parameters.epochs`).
    public func applying(stepOverrides overrides: [String: StepOverrides]) throws -> CompiledPipeline {
        var copy = self
        if isDynamic {
            // A dynamic pipeline's steps exist only as it runs: each call gets its overrides when it is made.
            for (invocation, override) in overrides { copy.stepOverrides[invocation] = (stepOverrides[invocation] ?? StepOverrides()).merging(override) }
            return copy
        }
        var nodes = graph.nodes
        for (invocation, override) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let index = nodes.firstIndex(where: { $0.invocation == invocation }), var definition = definitions[invocation] else {
                throw CairnError.invalidConfiguration(
                    key: "steps.\(invocation)", reason: Suggestion.unknown("step", invocation, in: "steps", known: nodes.map(\.invocation)),
                    location: nil)
            }
            guard !override.isEmpty else { continue }
            for (input, value) in override.parameters.sorted(by: { $0.key < $1.key }) {
                nodes[index].inputs[try position(of: input, in: nodes[index], definition: definition)].binding =
                    .constant(json: try canonicalJSON(value, for: input, of: nodes[index], definition: definition))
            }
            definition.options = definition.options.overlaid(with: override.options)
            if let enableCache = override.enableCache { definition.options.enableCache = enableCache }
            copy.definitions[invocation] = definition
            copy.stepOverrides[invocation] = (stepOverrides[invocation] ?? StepOverrides()).merging(override)
        }
        copy.graph = PipelineGraph(nodes: nodes)
        return copy
    }

    /// A copy in which no step reuses earlier outputs, whatever the options and overrides say: what
    /// `run --no-cache` does.
    public func disablingCache() -> CompiledPipeline {
        var copy = self
        copy.options.enableCache = false
        copy.cacheDisabled = true
        for (invocation, definition) in definitions where definition.options.enableCache != nil {
            copy.definitions[invocation]?.options.enableCache = false
            copy.stepOverrides[invocation, default: StepOverrides()].enableCache = false
        }
        return copy
    }

    /// The index of a parameter input, or an error naming the setting.
    private func position(of input: String, in node: PipelineNode, definition: StepDefinition) throws -> Int {
        let key = "steps.\(node.invocation).parameters.\(input)"
        let parameters = node.inputs.filter(\.binding.isParameter).map(\.name)
        guard let position = node.inputs.firstIndex(where: { $0.name == input }) else {
            throw CairnError.invalidConfiguration(
                key: key, reason: Suggestion.unknown("parameter", input, in: "steps.\(node.invocation).parameters", known: parameters),
                location: nil)
        }
        guard node.inputs[position].binding.isParameter else {
            let sources = node.inputs[position].binding.upstreamInvocations.map { "'\($0)'" }.joined(separator: ", ")
            throw CairnError.invalidConfiguration(
                key: key,
                reason: "input '\(input)' of step '\(node.invocation)' is an artifact (from \(sources)), not a parameter; "
                    + (parameters.isEmpty ? "the step has no parameters" : "its parameters are \(parameters.joined(separator: ", "))"),
                location: nil)
        }
        return position
    }

    /// A value as the canonical JSON of the input's type, or an error naming the setting.
    private func canonicalJSON(_ value: JSONValue, for input: String, of node: PipelineNode, definition: StepDefinition) throws -> String {
        let json = CanonicalJSON.string(encoding: value)
        guard let type = definition.inputs.first(where: { $0.name == input })?.type else {
            preconditionFailure("the graph and the definition of '\(node.invocation)' disagree on input '\(input)'")
        }
        do {
            return try type.canonicalJSON(decoding: json)
        } catch {
            throw CairnError.invalidConfiguration(
                key: "steps.\(node.invocation).parameters.\(input)",
                reason: "wrong type for steps.\(node.invocation).parameters.\(input): step '\(node.invocation)' takes \(type.name), found \(value.typeName) \(json)",
                location: nil)
        }
    }
}
