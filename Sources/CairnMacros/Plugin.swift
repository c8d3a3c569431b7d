import CairnMacroSupport
import SwiftCompilerPlugin
public import SwiftSyntax
public import SwiftSyntaxMacros

/// The compiler plugin: it only forwards to the expansion logic in `CairnMacroSupport`.
@main
struct CairnMacrosPlugin: CompilerPlugin {
    let providingMacros: [any Macro.Type] = [StepMacro.self, FingerprintedMacro.self]
}

/// `@Step`, as the compiler loads it: the step value beside the function, and the function's body.
public struct StepMacro: PeerMacro, BodyMacro {
    /// Adds the step's type and value beside the function.
    public static func expansion(
        of node: AttributeSyntax, providingPeersOf declaration: some DeclSyntaxProtocol,
        in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        try StepPeerMacro.expansion(of: node, providingPeersOf: declaration, in: context)
    }

    /// Gives the function a body that reports a direct call in a pipeline's body.
    public static func expansion(
        of node: AttributeSyntax, providingBodyFor declaration: some DeclSyntaxProtocol & WithOptionalCodeBlockSyntax,
        in context: some MacroExpansionContext
    ) throws -> [CodeBlockItemSyntax] {
        try StepBodyMacro.expansion(of: node, providingBodyFor: declaration, in: context)
    }
}

/// `@Fingerprinted`, as the compiler loads it.
public struct FingerprintedMacro: PeerMacro {
    /// Adds the fingerprint constant beside the function.
    public static func expansion(
        of node: AttributeSyntax, providingPeersOf declaration: some DeclSyntaxProtocol,
        in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        try FingerprintedPeerMacro.expansion(of: node, providingPeersOf: declaration, in: context)
    }
}
