/// The named outputs a pipeline's body returns.
///
/// ```swift
/// Pipeline("training") {
///     let model = trainStep(data: loadStep())
///     return ["model": model]
/// }
/// ```
public struct PipelineOutputs: Sendable, ExpressibleByDictionaryLiteral {
    /// Each output's name and where its value comes from.
    public let bindings: [String: InputBinding]

    /// No outputs.
    public static let none = PipelineOutputs(bindings: [:])

    init(bindings: [String: InputBinding]) {
        self.bindings = bindings
    }

    /// Names outputs: `["model": model, "score": score]`.
    public init(dictionaryLiteral elements: (String, any StepDependency & HandleBinding)...) {
        self.bindings = Dictionary(elements.map { ($0, $1.binding) }, uniquingKeysWith: { $1 })
    }
}

/// A value with a binding: a ``Handle`` of any type.
public protocol HandleBinding {
    /// Where the value comes from.
    var binding: InputBinding { get }
}

extension Handle: HandleBinding {}
