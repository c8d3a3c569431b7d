public import SwiftSyntax
import SwiftSyntaxBuilder
public import SwiftSyntaxMacros

/// The body part of `@Step`: the function's own statements, after a call that reports the function
/// to a pipeline being built.
///
/// Inside a pipeline's body, `train(data: …)` (the function) instead of `trainStep(data: …)` (the
/// step) would run the training while the graph is built and record nothing. The added call makes
/// that mistake fail the pipeline, naming the function and the step to call. When a step runs, no
/// pipeline is being built, and the call costs a task-local read.
///
/// A body that is a single expression is returned explicitly, since it is no longer the only statement.
public struct StepBodyMacro: BodyMacro {
    /// The function's statements, after the call that reports a direct call in a pipeline's body.
    public static func expansion(
        of node: AttributeSyntax, providingBodyFor declaration: some DeclSyntaxProtocol & WithOptionalCodeBlockSyntax,
        in context: some MacroExpansionContext
    ) throws -> [CodeBlockItemSyntax] {
        // Only where the peer expansion makes a step; it reports what is wrong with other declarations.
        guard let function = declaration.as(FunctionDeclSyntax.self), let body = function.body, context.lexicalContext.isEmpty,
            function.genericParameterClause == nil
        else {
            return Array(declaration.body?.statements ?? [])
        }
        let name = function.name.text
        let report: CodeBlockItemSyntax = "CairnCore.PipelineBuilder.reportDirectCall(of: \(literal: name), step: \(literal: name + "Step"))"
        var statements = Array(body.statements)
        if statements.count == 1, let only = statements.first, case .expr(let expression) = only.item, returnsValue(function) {
            statements = [CodeBlockItemSyntax(item: .stmt(StmtSyntax(ReturnStmtSyntax(expression: expression.trimmed))))]
        }
        return [report] + statements
    }

    /// Whether the function returns something other than `Void` or `()`.
    private static func returnsValue(_ function: FunctionDeclSyntax) -> Bool {
        guard let type = function.signature.returnClause?.type else { return false }
        if let tuple = type.as(TupleTypeSyntax.self), tuple.elements.isEmpty { return false }
        return type.trimmedDescription != "Void"
    }
}
