/// Parameters that check their own values, before any step of a run starts.
///
/// A pipeline whose parameter type conforms calls ``validate()`` each time it is compiled: before a
/// run in code or from its executable, before `resume` and before a step runs in its own process.
/// A value a step cannot handle is then a clear error, and nothing is recorded, instead of a step
/// that fails, or a trap (`UInt64(-1)`) that stops the whole process, halfway through a run.
///
/// ```swift
/// struct TrainingParameters: ValidatableParameters {
///     var learningRate = 0.1
///     var seed = 42
///
///     func validate() throws {
///         guard learningRate > 0 else { throw ParameterProblem("learningRate must be above 0, found \(learningRate)") }
///         guard seed >= 0 else { throw ParameterProblem("seed must be 0 or more, found \(seed)") }
///     }
/// }
/// ```
///
/// ```console
/// $ swift run training run training --param seed=-1
/// Error: invalid parameters for pipeline 'training': seed must be 0 or more, found -1
/// ```
public protocol ValidatableParameters: Codable, Sendable {
    /// Throws when a value cannot be run; the error's description names the parameter and says why.
    func validate() throws
}

/// An error a parameter type's ``ValidatableParameters/validate()`` throws: what is wrong, in a sentence.
public struct ParameterProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the parameter: `seed must be 0 or more, found -1`.
    public var description: String

    /// Makes the error from its sentence.
    public init(_ description: String) {
        self.description = description
    }
}

/// Validates `parameters` when their type is ``ValidatableParameters``; a failure is
/// `CairnError.invalidParameters(pipeline:reason:)`.
func validateParameters(_ parameters: some Sendable, pipeline: String) throws {
    guard let validatable = parameters as? any ValidatableParameters else { return }
    do {
        try validatable.validate()
    } catch {
        throw CairnError.invalidParameters(pipeline: pipeline, reason: "\(error)")
    }
}
