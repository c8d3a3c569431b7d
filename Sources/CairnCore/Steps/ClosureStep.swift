/// A step made from a closure: the plain-value layer under the `@Step` macro.
///
/// Use it where a macro is not wanted. Inputs are positional and named by `inputs`:
///
/// ```swift
/// let double = ClosureStep<Int, Int>("double", inputs: ["value"], version: "1") { value in value * 2 }
/// let pipeline = Pipeline("doubling") {
///     _ = double(21)
/// }
/// ```
///
/// Without the macro there is no source fingerprint: change `version` when the closure changes,
/// so that cached results are not reused.
public struct ClosureStep<each Input: Sendable, Output: Sendable>: Step {
    /// The step's definition: its name, version, inputs, output, options and closure.
    public var definition: StepDefinition

    /// Makes a step named `name` whose inputs are named `inputs`, in order, and whose output is named `output`.
    public init(
        _ name: String, inputs: [String], output: String = "output", version: String = "1", options: StepOptions = StepOptions(),
        _ body: @escaping @Sendable (repeat each Input) async throws -> Output
    ) {
        var declarations: [StepInputDeclaration] = []
        for type in repeat (each Input).self {
            precondition(declarations.count < inputs.count, "step '\(name)' has more inputs than names")
            declarations.append(StepInputDeclaration(inputs[declarations.count], type))
        }
        precondition(declarations.count == inputs.count, "step '\(name)' has more names than inputs")
        let returnsValue = Output.self != Void.self
        definition = StepDefinition(
            name: name, fingerprint: "version:\(version)", inputs: declarations,
            outputs: returnsValue ? [StepOutputDeclaration(output, Output.self)] : [],
            options: options
        ) { arguments in
            let counter = Counter()
            let output = try await body(repeat try Self.next((each Input).self, from: arguments, counter: counter))
            return returnsValue ? [output] : []
        }
    }

    /// Calls the step inside a pipeline's body.
    public func callAsFunction(_ input: repeat Handle<each Input>) -> Handle<Output> {
        var bindings: [InputBinding] = []
        for handle in repeat each input { bindings.append(handle.binding) }
        let invocation = definition.call(bindings)
        return Handle(binding: .output(invocation: invocation.name, output: invocation.outputNames.first ?? ""))
    }

    /// Counts arguments as a parameter pack is expanded, left to right.
    private final class Counter {
        var index = 0
    }

    private static func next<T>(_ type: T.Type, from arguments: StepArguments, counter: Counter) throws -> T {
        defer { counter.index += 1 }
        return try arguments.value(counter.index)
    }
}
