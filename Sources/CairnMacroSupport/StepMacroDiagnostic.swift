public import SwiftDiagnostics

/// What the `@Step` macro tells the user when it cannot make a step, worded as they will read it.
public enum StepMacroDiagnostic: String, DiagnosticMessage {
    case notAFunction
    case notGlobal
    case generic
    case inoutParameter
    case variadicParameter
    case outputNameOfTuple

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

    public var diagnosticID: MessageID { MessageID(domain: "Cairn", id: rawValue) }
    public var severity: DiagnosticSeverity { .error }
}
