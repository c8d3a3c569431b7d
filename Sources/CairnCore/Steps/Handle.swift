/// A typed reference to a value inside a pipeline: a step's output, a parameter or a constant.
///
/// Calling a step inside a pipeline returns handles; passing a handle to another step makes the
/// edge between them. Handles are typed, so connecting a `Handle<Dataset>` to an input that
/// expects a `Model` does not compile.
///
/// Literals convert to handles directly, so `trainStep(data: data, learningRate: 0.1)` works; any
/// other plain value becomes a handle through ``constant(_:)``.
public struct Handle<Value>: Sendable {
    /// Where the value comes from.
    public let binding: InputBinding

    /// Makes a handle from a binding. Generated step code uses this; users rarely need it.
    public init(binding: InputBinding) {
        self.binding = binding
    }

    /// The name of the step invocation that produces this value, if a step produces it.
    public var invocation: String? {
        if case .output(let invocation, _) = binding { invocation } else { nil }
    }
}

extension Handle where Value: Encodable {
    /// A handle to a plain value, passed to the step as a parameter.
    ///
    /// The value is recorded with the step run as canonical JSON and is part of its cache key. A
    /// value that cannot be encoded makes the pipeline invalid: its compile, or for a dynamic
    /// pipeline the step call, fails with ``CairnError/notEncodable(type:reason:)``'s message.
    public static func constant(_ value: Value) -> Handle {
        do {
            return Handle(binding: .constant(json: try CanonicalJSON.string(encoding: value)))
        } catch {
            // Constants are made in a pipeline's body without `try` (literals are constants too), so
            // the failure travels in the binding to the step call that records it.
            return Handle(binding: .unencodable(error))
        }
    }
}

extension Handle {
    /// Gathers handles into one array-valued handle: a fan-in.
    ///
    /// ```swift
    /// let best = selectBestStep(evaluations: .gathering([a, b, c]))
    /// ```
    public static func gathering<Element>(_ elements: [Handle<Element>]) -> Handle where Value == [Element] {
        Handle(binding: .list(elements.map(\.binding)))
    }
}
