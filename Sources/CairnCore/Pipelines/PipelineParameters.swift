/// A pipeline's parameters as its body sees them.
///
/// A member used where a step expects a handle becomes that value as a parameter, and a member used
/// where a plain value is expected is that value:
///
/// ```swift
/// Pipeline("training", parameters: TrainingParameters()) { parameters in
///     let model = trainStep(data: data, learningRate: parameters.learningRate)  // a Handle<Double>
///     if parameters.evaluate { evaluateStep(model: model) }                       // a Bool
/// }
/// ```
@dynamicMemberLookup
public struct PipelineParameters<Values: Sendable>: Sendable {
    /// The parameter values.
    public let values: Values

    /// Wraps parameter values.
    public init(_ values: Values) {
        self.values = values
    }

    /// A parameter as a handle, to pass to a step.
    public subscript<T: Encodable>(dynamicMember keyPath: KeyPath<Values, T>) -> Handle<T> {
        .constant(values[keyPath: keyPath])
    }

    /// A parameter as a plain value, for control flow in the body.
    public subscript<T>(dynamicMember keyPath: KeyPath<Values, T>) -> T {
        values[keyPath: keyPath]
    }
}

/// The parameters of a pipeline that takes none.
public struct NoParameters: Codable, Sendable, Equatable {
    /// Makes the empty parameter set.
    public init() {}
}
