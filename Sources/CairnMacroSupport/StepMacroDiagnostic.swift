public import SwiftDiagnostics

/// What the `@Step` macro tells the user when it cannot make a step, worded as they will read it.
public enum StepMacroDiagnostic: String, DiagnosticMessage {
    /// `@Step` is attached to something other than a function.
    case notAFunction
    /// The function is declared inside a type or another declaration.
    case notGlobal
    /// The function has generic parameters.
    case generic
    /// A parameter is `inout`.
    case inoutParameter
    /// A parameter is variadic.
    case variadicParameter
    /// `output:` is given for a function that returns a tuple.
    case outputNameOfTuple

    /// The message, worded as the user reads it beside their code.
    public var message: String {
        switch self {
        case .notAFunction: "@Step applies to functions"
        case .notGlobal: "@Step applies to global functions; move this function out of its type"
        case .generic: "@Step functions cannot be generic: a step's input and output types must be concrete so that they can be stored"
        case .inoutParameter: "@Step functions cannot take inout parameters: a step's inputs are immutable artifacts and parameters"
        case .variadicParameter: "@Step functions cannot take variadic parameters; take an array instead"
        case .outputNameOfTuple: "'output:' names a single output; the outputs of a function returning a tuple are named by its labels"
        }
    }

    /// The diagnostic's identifier: the case's name, in the `Cairn` domain.
    public var diagnosticID: MessageID { MessageID(domain: "Cairn", id: rawValue) }
    /// Every diagnostic is an error: the macro makes no step from the declaration.
    public var severity: DiagnosticSeverity { .error }
}
