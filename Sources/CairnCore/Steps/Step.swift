/// A callable step: what the `@Step` macro makes of a function (`trainStep`, of type `train_Step`),
/// and what ``ClosureStep`` makes of a closure.
///
/// Calling a step inside a pipeline's body records an invocation and returns handles to its outputs.
/// The modifiers below return modified copies, so they read well inline:
///
/// ```swift
/// let fast = trainStep.named("train_fast")(data: data, learningRate: 0.5)
/// let report = reportStep.after(fast)(title: "Done")
/// ```
///
/// ## Topics
///
/// ### The step's definition
///
/// - ``definition``
/// - ``StepDefinition``
///
/// ### Adjusting a call
///
/// - ``named(_:)``
/// - ``after(_:)``
/// - ``withHooks(_:)``
/// - ``withOptions(_:)``
/// - ``StepHooks``
/// - ``StepOptions``
///
/// ### Steps and their calls
///
/// - ``ClosureStep``
/// - ``Handle``
/// - ``StepInvocation``
/// - ``StepDependency``
public protocol Step: Sendable {
    /// The step's definition.
    var definition: StepDefinition { get set }
}

// MARK: - API

extension Step {
    /// A copy whose next call is named `invocation` instead of a generated name.
    public func named(_ invocation: String) -> Self {
        var copy = self
        copy.definition.invocationName = invocation
        return copy
    }

    /// A copy whose calls run after `dependencies`, without taking data from them.
    public func after(_ dependencies: any StepDependency...) -> Self {
        var copy = self
        copy.definition.upstreamInvocations += dependencies.compactMap(\.dependencyInvocation)
        return copy
    }

    /// A copy with hooks that run when the step ends.
    public func withHooks(_ hooks: StepHooks) -> Self {
        var copy = self
        copy.definition.hooks = hooks
        return copy
    }

    /// A copy with modified options.
    public func withOptions(_ update: (inout StepOptions) -> Void) -> Self {
        var copy = self
        update(&copy.definition.options)
        return copy
    }
}

extension StepDefinition {
    /// Records a call of this step in the pipeline being built and returns the invocation.
    ///
    /// Generated step code calls this. Calling a step outside a pipeline's body is a programming
    /// error: to run the function directly, call the function itself.
    public func call(_ bindings: [InputBinding]) -> StepInvocation {
        guard let builder = PipelineBuilder.current else {
            preconditionFailure("""
                Step '\(name)' was called outside a pipeline. Call steps inside a Pipeline's body; \
                to run the function directly, call the function itself.
                """)
        }
        return builder.record(self, bindings: bindings)
    }
}
