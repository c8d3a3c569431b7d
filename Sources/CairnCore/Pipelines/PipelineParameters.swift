/// A pipeline's parameters as its body sees them.
///
/// A member used where a step expects a handle becomes that value as a parameter, a member used
/// where a plain value is expected is that value, and a list member looped over gives a handle
/// per element:
///
/// ```swift
/// Pipeline("training", parameters: TrainingParameters()) { parameters in
///     let model = trainStep(data: data, learningRate: parameters.learningRate)  // a Handle<Double>
///     if parameters.evaluate { evaluateStep(model: model) }                       // a Bool
///     for rate in parameters.rates { _ = trainStep(data: data, learningRate: rate) } // a Handle<Double> each
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

    /// A list parameter as one handle per element, so that a plain loop hands each element to a step:
    /// `for rate in parameters.learningRates { trainStep(data: data, learningRate: rate) }`.
    ///
    /// Annotate the loop's variable (`for rate: Double in …`) to loop over the plain values instead.
    public subscript<List: Collection & Encodable>(dynamicMember keyPath: KeyPath<Values, List>) -> [Handle<List.Element>]
    where List.Element: Encodable {
        values[keyPath: keyPath].map { .constant($0) }
    }
}

/// The parameters of a pipeline that takes none.
public struct NoParameters: Codable, Sendable, Equatable {
    /// Makes the empty parameter set.
    public init() {}
}
