/// What a dynamic pipeline's body talks to while it runs: the live run behind its step calls.
///
/// The runtime provides it; the core only needs to hand it each recorded call and to ask it for
/// values, which is what ``Handle/value`` does.
public protocol DynamicRunContext: Sendable {
    /// Called for each step call the body makes, in call order, to schedule it.
    func submit(_ node: PipelineNode, definition: StepDefinition)

    /// The value behind a binding, once the steps it comes from have completed.
    func value(of binding: InputBinding, as type: ValueType) async throws -> Any
}

extension Handle {
    /// The value behind this handle, waiting for the step that produces it to complete.
    ///
    /// Only a dynamic pipeline's body can await values, since only there do steps run while the
    /// body runs:
    ///
    /// ```swift
    /// let score = try await evaluateStep(model: model).value
    /// if score < 0.9 { _ = trainStep.named("train_longer")(data: data, epochs: 1_000) }
    /// ```
    public var value: Value {
        get async throws {
            guard let context = PipelineBuilder.current?.dynamicContext else {
                throw CairnError.invalidPipeline(
                    pipeline: PipelineBuilder.current?.pipelineName ?? "?",
                    reason: "a handle's value can be awaited only in a dynamic pipeline (DynamicPipeline), whose steps run while its body runs")
            }
            let value = try await context.value(of: binding, as: ValueType(Value.self))
            guard let typed = value as? Value else {
                throw CairnError.typeMismatch(expected: String(reflecting: Value.self), found: String(reflecting: type(of: value)))
            }
            return typed
        }
    }
}
