import CairnMacroSupport
import SwiftCompilerPlugin
public import SwiftSyntax
public import SwiftSyntaxMacros

/// The compiler plugin: it only forwards to the expansion logic in `CairnMacroSupport`.
@main
struct CairnMacrosPlugin: CompilerPlugin {
    let providingMacros: [any Macro.Type] = [StepMacro.self, FingerprintedMacro.self]
}

/// `@Step`, as the compiler loads it.
public struct StepMacro: PeerMacro {
    public static func expansion(
        of node: AttributeSyntax, providingPeersOf declaration: some DeclSyntaxProtocol,
        in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        try StepPeerMacro.expansion(of: node, providingPeersOf: declaration, in: context)
    }
}

/// `@Fingerprinted`, as the compiler loads it.
public struct FingerprintedMacro: PeerMacro {
    public static func expansion(
        of node: AttributeSyntax, providingPeersOf declaration: some DeclSyntaxProtocol,
        in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        try FingerprintedPeerMacro.expansion(of: node, providingPeersOf: declaration, in: context)
    }
}
