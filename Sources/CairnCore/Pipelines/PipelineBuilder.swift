import Foundation

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
        /// Step functions the body called directly rather than through their step values.
        var directCalls: [String] = []
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
            let problems = Self.problems(with: node, definition: definition, bindingCount: bindings.count, in: state, pipeline: pipelineName)
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

    /// Notes that the body called a step's function directly, which runs it while the pipeline is
    /// built and records no step: the function `@Step` rewrote reports it (see ``reportDirectCall(of:step:)``).
    func recordDirectCall(of function: String, step: String) {
        let problem = "its body calls the function '\(function)(…)' directly, which runs it while the pipeline is built "
            + "and records no step; call the step value '\(step)(…)' instead"
        state.withLock { state in
            if !state.directCalls.contains(problem) { state.directCalls.append(problem) }
        }
    }

    /// Reports a call of `@Step` function `function`, whose step value is `step`, to the pipeline
    /// being built in this task, if any: there, the call is a mistake. `@Step` adds this call to
    /// the function's body; steps run with no pipeline being built.
    public static func reportDirectCall(of function: String, step: String) {
        current?.recordDirectCall(of: function, step: step)
    }

    /// Throws the step functions the body called directly, if any: the mistake a dynamic pipeline's
    /// body reports when it ends.
    public func checkDirectCalls() throws {
        let problems = state.withLock { $0.directCalls }
        if !problems.isEmpty {
            throw CairnError.invalidPipeline(pipeline: pipelineName, reason: problems.joined(separator: "; "))
        }
    }

    /// The graph recorded so far, problems or not.
    public var recordedGraph: PipelineGraph {
        state.withLock { $0.graph }
    }

    /// The recorded graph and the definition behind each invocation, or the problems found.
    public func finish() throws -> (graph: PipelineGraph, definitions: [String: StepDefinition]) {
        try state.withLock { state in
            let problems = state.directCalls + state.problems
            if !problems.isEmpty {
                throw CairnError.invalidPipeline(pipeline: pipelineName, reason: problems.joined(separator: "; "))
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
        with node: PipelineNode, definition: StepDefinition, bindingCount: Int, in state: State, pipeline pipelineName: String
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
        return problems + artifactNameProblems(of: node, definition: definition, pipeline: pipelineName)
    }

    /// What is wrong with the names of a step's outputs and of the artifacts they are stored as,
    /// found when the pipeline is compiled rather than after the step ran.
    private static func artifactNameProblems(of node: PipelineNode, definition: StepDefinition, pipeline: String) -> [String] {
        var problems: [String] = []
        let outputs = definition.outputs.map(\.name)
        for output in outputs {
            do {
                try Names.validate(output, kind: "output")
            } catch {
                problems.append("step '\(node.invocation)': \(error)")
            }
        }
        for (output, template) in definition.options.artifactNames.sorted(by: { $0.key < $1.key }) {
            guard outputs.contains(output) else {
                problems.append(
                    "step '\(node.invocation)' names the artifact of output '\(output)', which it does not have"
                        + (Suggestion.closest(to: output, in: outputs).map { "; did you mean '\($0)'?" } ?? ""))
                continue
            }
            do {
                // Placeholders stand for names that are valid themselves, so a name valid with
                // these is valid with the run's.
                _ = try RunNameTemplate(template).expand(
                    pipeline: pipeline, at: Date(), substitutions: ["step": node.invocation, "output": output, "run": "run"], kind: "artifact")
            } catch {
                problems.append("the artifact name of output '\(output)' of step '\(node.invocation)': \(error)")
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
