/// Records step calls while a pipeline's body runs, and names the invocations.
///
/// The builder is bound to the running task with a task-local value, so that calling a step inside a
/// pipeline's body finds it without the body passing it around.
public final class PipelineBuilder: Sendable {
    /// The builder of the pipeline whose body is running in this task, if any.
    @TaskLocal public static var current: PipelineBuilder?

    /// The pipeline's name, for error messages.
    public let pipelineName: String
    /// For a dynamic pipeline, the live run that schedules each call as it is recorded.
    public let dynamicContext: (any DynamicRunContext)?
    private let state = Locked(State())

    private struct State {
        var graph = PipelineGraph()
        /// The definitions behind the calls; kept for static pipelines only, which return them.
        var definitions: [String: StepDefinition] = [:]
        /// Each call's outputs, to check the bindings of later calls.
        var outputs: [String: [StepOutputDeclaration]] = [:]
        var callsPerStep: [String: Int] = [:]
        var problems: [String] = []
    }

    /// Makes an empty builder.
    public init(pipelineName: String, dynamicContext: (any DynamicRunContext)? = nil) {
        self.pipelineName = pipelineName
        self.dynamicContext = dynamicContext
    }

    /// Records a call of `definition` with `bindings` (one per input) and returns the invocation.
    ///
    /// Problems (a duplicate name, an unknown `after` target, a binding to an output that does not
    /// exist) are collected and reported together by ``finish()``, so that the body can run to its end.
    public func record(_ definition: StepDefinition, bindings: [InputBinding]) -> StepInvocation {
        let (invocation, node, problems) = state.withLock { state in
            let invocation = Self.invocationName(for: definition, in: &state)
            let node = PipelineNode(
                invocation: invocation, step: definition.name, fingerprint: definition.fingerprint,
                inputs: zip(definition.inputs, bindings).map { NamedBinding(name: $0.name, binding: $1) },
                after: definition.upstreamInvocations)
            let problems = Self.problems(with: node, definition: definition, bindingCount: bindings.count, in: state)
            state.problems += problems
            state.graph.append(node)
            state.outputs[invocation] = definition.outputs
            if dynamicContext == nil { state.definitions[invocation] = definition }
            return (StepInvocation(name: invocation, outputNames: definition.outputs.map(\.name)), node, problems)
        }
        if let dynamicContext {
            // A dynamic pipeline cannot report problems at the end: the call fails as a step instead.
            var checked = definition
            if !problems.isEmpty { checked.problems = problems }
            dynamicContext.submit(node, definition: checked)
        }
        return invocation
    }

    /// The graph recorded so far, problems or not.
    public var recordedGraph: PipelineGraph {
        state.withLock { $0.graph }
    }

    /// The recorded graph and the definition behind each invocation, or the problems found.
    public func finish() throws -> (graph: PipelineGraph, definitions: [String: StepDefinition]) {
        try state.withLock { state in
            if !state.problems.isEmpty {
                throw CairnError.invalidPipeline(pipeline: pipelineName, reason: state.problems.joined(separator: "; "))
            }
            return (state.graph, state.definitions)
        }
    }

    private static func invocationName(for definition: StepDefinition, in state: inout State) -> String {
        if let given = definition.invocationName {
            if state.graph.contains(given) {
                state.problems.append("two steps are named '\(given)'")
            }
            return given
        }
        var count = state.callsPerStep[definition.name, default: 0]
        var name: String
        repeat {
            count += 1
            name = count == 1 ? definition.name : "\(definition.name)_\(count)"
        } while state.graph.contains(name)
        state.callsPerStep[definition.name] = count
        return name
    }

    private static func problems(
        with node: PipelineNode, definition: StepDefinition, bindingCount: Int, in state: State
    ) -> [String] {
        var problems: [String] = []
        do {
            try Names.validate(node.invocation, kind: "step")
        } catch {
            problems.append("\(error)")
        }
        if bindingCount != definition.inputs.count {
            problems.append("step '\(node.invocation)' declares \(definition.inputs.count) inputs but was given \(bindingCount)")
        }
        for input in node.inputs {
            if let failure = input.binding.encodingFailure {
                problems.append("input '\(input.name)' of step '\(node.invocation)': \(failure)")
            }
            for case .output(let upstream, let output) in input.binding.leaves {
                if let outputs = state.outputs[upstream] {
                    if !outputs.contains(where: { $0.name == output }) {
                        problems.append("input '\(input.name)' of step '\(node.invocation)' reads output '\(output)', which step '\(upstream)' does not have")
                    }
                } else {
                    problems.append("input '\(input.name)' of step '\(node.invocation)' reads from '\(upstream)', which is not a step of this pipeline")
                }
            }
        }
        for upstream in node.after where !state.graph.contains(upstream) {
            problems.append("step '\(node.invocation)' is ordered after '\(upstream)', which is not a step of this pipeline")
        }
        for output in definition.outputs {
            if case .failure(let error) = output.type.serializer {
                problems.append("output '\(output.name)' of step '\(node.invocation)': \(error)")
            }
        }
        return problems
    }
}

extension InputBinding {
    /// The bindings that are not lists: outputs and constants.
    var leaves: [InputBinding] {
        if case .list(let elements) = self { elements.flatMap(\.leaves) } else { [self] }
    }
}
