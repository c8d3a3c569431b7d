import SwiftDiagnostics
public import SwiftSyntax
import SwiftSyntaxBuilder
public import SwiftSyntaxMacros

/// The expansion of `@Step`: a callable step value beside the function.
///
/// For `func train(data: Dataset, rate: Double = 0.1) -> Model` it adds a type `train_Step` and a
/// value `trainStep` whose `callAsFunction(data:rate:)` takes handles and returns a `Handle<Model>`.
/// The function itself is left untouched and can still be called directly.
public struct StepPeerMacro: PeerMacro {
    /// Adds the step's type and value beside the function, or reports why it cannot.
    public static func expansion(
        of node: AttributeSyntax, providingPeersOf declaration: some DeclSyntaxProtocol,
        in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        guard let function = declaration.as(FunctionDeclSyntax.self) else {
            context.diagnose(Diagnostic(node: node, message: StepMacroDiagnostic.notAFunction))
            return []
        }
        if !context.lexicalContext.isEmpty {
            context.diagnose(Diagnostic(node: node, message: StepMacroDiagnostic.notGlobal))
            return []
        }
        if function.genericParameterClause != nil {
            context.diagnose(Diagnostic(node: function.name, message: StepMacroDiagnostic.generic))
            return []
        }
        var problems = false
        for parameter in function.signature.parameterClause.parameters {
            if parameter.ellipsis != nil {
                context.diagnose(Diagnostic(node: parameter, message: StepMacroDiagnostic.variadicParameter))
                problems = true
            }
            if let attributed = parameter.type.as(AttributedTypeSyntax.self),
                attributed.specifiers.contains(where: { $0.trimmedDescription == "inout" })
            {
                context.diagnose(Diagnostic(node: parameter, message: StepMacroDiagnostic.inoutParameter))
                problems = true
            }
        }
        let arguments = node.arguments?.as(LabeledExprListSyntax.self) ?? []
        if let output = arguments.first(where: { $0.label?.text == "output" }),
            let tuple = function.signature.returnClause?.type.as(TupleTypeSyntax.self), tuple.elements.count > 1
        {
            context.diagnose(Diagnostic(node: output, message: StepMacroDiagnostic.outputNameOfTuple))
            problems = true
        }
        if problems { return [] }
        return StepDescription(function: function, attribute: node).peers()
    }
}

/// What the expansion needs to know about the function, read from its syntax.
struct StepDescription {
    struct Parameter {
        var label: String?
        var name: String
        var type: String
        var defaultValue: String?
    }

    enum Outputs {
        case none
        case single(type: String)
        case tuple([(name: String, accessor: String, type: String)])
    }

    let functionName: String
    let stepName: String
    let options: String
    /// The single output's name, as a Swift expression: `"output"` unless `output:` names it.
    let outputName: String
    let access: String
    let parameters: [Parameter]
    let outputs: Outputs
    let isAsync: Bool
    let fingerprint: String

    init(function: FunctionDeclSyntax, attribute: AttributeSyntax) {
        functionName = function.name.text
        let arguments = attribute.arguments?.as(LabeledExprListSyntax.self) ?? []
        stepName = arguments.first { $0.label?.text == "name" }?.expression.trimmedDescription ?? "\"\(function.name.text)\""
        let declaredOptions = arguments.first { $0.label?.text == "options" }?.expression.trimmedDescription ?? "CairnCore.StepOptions()"
        // Artifact names declared on the step win over those of its options.
        options = arguments.first { $0.label?.text == "artifacts" }.map { "(\(declaredOptions)).addingArtifactNames(\($0.expression.trimmedDescription))" }
            ?? declaredOptions
        outputName = arguments.first { $0.label?.text == "output" }?.expression.trimmedDescription ?? "\"output\""
        access = function.accessPrefix
        parameters = function.signature.parameterClause.parameters.map { parameter in
            let first = parameter.firstName.text
            return Parameter(
                label: first == "_" ? nil : first,
                name: parameter.secondName?.text ?? first,
                type: parameter.type.trimmedDescription,
                defaultValue: parameter.defaultValue?.value.trimmedDescription)
        }
        outputs = Self.outputs(of: function.signature.returnClause?.type)
        isAsync = function.signature.effectSpecifiers?.asyncSpecifier != nil
        fingerprint = SourceFingerprint.fingerprint(of: function)
    }

    private static func outputs(of type: TypeSyntax?) -> Outputs {
        guard let type else { return .none }
        if let tuple = type.as(TupleTypeSyntax.self) {
            if tuple.elements.isEmpty { return .none }
            if tuple.elements.count > 1 {
                return .tuple(tuple.elements.enumerated().map { index, element in
                    let label = element.firstName?.text
                    return (label ?? "output_\(index)", label ?? "\(index)", element.type.trimmedDescription)
                })
            }
        }
        if type.trimmedDescription == "Void" { return .none }
        return .single(type: type.trimmedDescription)
    }

    var typeName: String { "\(functionName)_Step" }
    var valueName: String { "\(functionName)Step" }

    func peers() -> [DeclSyntax] {
        [DeclSyntax(stringLiteral: callableType), DeclSyntax(stringLiteral: value)]
    }

    private var callableType: String {
        let signature = parameters.map { parameter in
            let label = parameter.label.map { $0 == parameter.name ? $0 : "\($0) \(parameter.name)" } ?? "_ \(parameter.name)"
            let defaultValue = parameter.defaultValue.map { " = .constant(\($0))" } ?? ""
            return "\(label): CairnCore.Handle<\(parameter.type)>\(defaultValue)"
        }.joined(separator: ", ")
        let bindings = "[" + parameters.map { "\($0.name).binding" }.joined(separator: ", ") + "]"
        let call = "self.definition.call(\(bindings))"
        let result: (type: String, body: String)
        switch outputs {
        case .none:
            result = ("CairnCore.StepInvocation", call)
        case .single(let type):
            result = ("CairnCore.Handle<\(type)>", "\(call).output(0)")
        case .tuple(let elements):
            let types = elements.map { "\($0.name): CairnCore.Handle<\($0.type)>" }.joined(separator: ", ")
            let values = elements.enumerated().map { "\($1.name): invocation.output(\($0))" }.joined(separator: ", ")
            result = ("(\(types))", "let invocation = \(call)\n        return (\(values))")
        }
        return """
            /// The type of the `\(functionName)` step, generated by `@Step`: use its value, `\(valueName)`.
            \(access)struct \(typeName): CairnCore.Step {
                \(access)var definition: CairnCore.StepDefinition

                /// Calls the step inside a pipeline's body and returns handles to its outputs.
                @discardableResult
                \(access)func callAsFunction(\(signature)) -> \(result.type) {
                    \(result.body)
                }
            }
            """
    }

    private var value: String {
        let inputs = parameters.map { "CairnCore.StepInputDeclaration(\"\($0.name)\", (\($0.type)).self)" }
        let outputDeclarations: [String]
        let returnValue: String
        switch outputs {
        case .none:
            outputDeclarations = []
            returnValue = "return []"
        case .single(let type):
            outputDeclarations = ["CairnCore.StepOutputDeclaration(\(outputName), (\(type)).self)"]
            returnValue = "return [result]"
        case .tuple(let elements):
            outputDeclarations = elements.map { "CairnCore.StepOutputDeclaration(\"\($0.name)\", (\($0.type)).self)" }
            returnValue = "return [" + elements.map { "result.\($0.accessor)" }.joined(separator: ", ") + "]"
        }
        let arguments = parameters.enumerated().map { index, parameter in
            (parameter.label.map { "\($0): " } ?? "") + "arguments.value(\(index))"
        }.joined(separator: ", ")
        let binding = outputs.isNone ? "_ =" : "let result ="
        return """
            /// The `\(functionName)` step, generated by `@Step`: call it inside a pipeline's body.
            \(access)let \(valueName) = \(typeName)(definition: CairnCore.StepDefinition(
                name: \(stepName),
                fingerprint: "\(fingerprint)",
                inputs: [\(inputs.joined(separator: ", "))],
                outputs: [\(outputDeclarations.joined(separator: ", "))],
                options: \(options),
                body: { arguments in
                    \(binding) try \(isAsync ? "await " : "")\(functionName)(\(arguments))
                    \(returnValue)
                }
            ))
            """
    }
}

extension StepDescription.Outputs {
    var isNone: Bool {
        if case .none = self { true } else { false }
    }
}
