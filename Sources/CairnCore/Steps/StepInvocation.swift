/// One call of a step inside a pipeline, as the call returns it.
public struct StepInvocation: Sendable {
    /// The invocation's unique name in its pipeline (`train`, `train_2`, or the name the user gave).
    public let name: String
    /// The names of the step's outputs.
    public let outputNames: [String]

    /// A handle to the output at `index`.
    public func output<T>(_ index: Int, as type: T.Type = T.self) -> Handle<T> {
        Handle(binding: .output(invocation: name, output: outputNames[index]))
    }
}

/// Something a step can be ordered after: a step invocation or a handle to a step's output.
public protocol StepDependency {
    /// The invocation to wait for, or `nil` for a constant.
    var dependencyInvocation: String? { get }
}

extension StepInvocation: StepDependency {
    /// The invocation itself.
    public var dependencyInvocation: String? { name }
}

extension Handle: StepDependency {
    /// The invocation that produces the value; `nil` for a constant.
    public var dependencyInvocation: String? { invocation }
}
