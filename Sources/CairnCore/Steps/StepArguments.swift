/// The input values of one step run, in the order the step declares its inputs.
///
/// Arguments are loaded and consumed in the step run's own task, so they need not be `Sendable`.
public struct StepArguments {
    /// The values.
    public let values: [Any]

    /// Makes arguments from values.
    public init(_ values: [Any]) {
        self.values = values
    }

    /// The value at `index`, as the type the step's function expects.
    public func value<T>(_ index: Int, as type: T.Type = T.self) throws -> T {
        guard let value = values[index] as? T else {
            throw CairnError.typeMismatch(expected: String(reflecting: T.self), found: String(reflecting: Swift.type(of: values[index])))
        }
        return value
    }
}
