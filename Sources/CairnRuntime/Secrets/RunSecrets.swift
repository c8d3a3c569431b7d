import CairnCore
import Foundation

/// The secret values of one run, read once from the stack's secret store and held in memory only:
/// what each step receives as environment variables, and what is redacted from what the run stores.
///
/// A secret's keys become variables named as ZenML names them, the key upper-cased
/// (`aws_access_key_id` → `AWS_ACCESS_KEY_ID`); of two secrets with the same key, the one named
/// later in the step's options wins.
final class RunSecrets: Sendable {
    /// Each secret read so far: its environment variables and their values.
    private let resolved: Locked<[String: [String: String]]>

    /// The variable, in a step process's environment, that lists which of its variables hold
    /// secret values: a JSON object of secret name to variable names. It holds no value.
    static let variablesVariable = "CAIRN_SECRET_VARIABLES"

    /// No secret read yet.
    init(resolved: [String: [String: String]] = [:]) {
        self.resolved = Locked(resolved)
    }

    /// Reads every secret that `pipeline`'s steps name, so that a missing one, or a missing or
    /// wrong master key, fails the run before any step starts.
    ///
    /// - Throws: ``SecretError/unavailable(secret:step:reason:)`` naming the secret and the first
    ///   step that needs it.
    static func resolve(for pipeline: CompiledPipeline, stack: Stack) async throws -> RunSecrets {
        let secrets = RunSecrets()
        let every = "every step of pipeline '\(pipeline.name)'"
        var steps = pipeline.options.secrets.map { ($0, pipeline.graph.nodes.first?.invocation ?? every) }
        for node in pipeline.graph.nodes {
            guard let definition = pipeline.definitions[node.invocation] else { continue }
            steps += definition.options.resolved(in: pipeline.options).secrets.map { ($0, node.invocation) }
        }
        for (secret, step) in steps {
            _ = try await secrets.environment(for: [secret], step: step, stack: stack)
        }
        return secrets
    }

    /// The environment variables of a step that needs `names`, reading any secret not read yet.
    ///
    /// - Throws: ``SecretError/unavailable(secret:step:reason:)``.
    func environment(for names: [String], step: String, stack: Stack) async throws -> [String: String] {
        var environment: [String: String] = [:]
        for name in names {
            let known = resolved.withLock { $0[name] }
            let variables: [String: String]
            if let known {
                variables = known
            } else {
                do {
                    let values = try await stack.secrets.values(of: name)
                    variables = Dictionary(values.map { ($0.key.uppercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
                } catch {
                    throw SecretError.unavailable(secret: name, step: step, reason: "\(error)")
                }
                resolved.withLock { $0[name] = variables }
            }
            environment.merge(variables) { _, later in later }
        }
        return environment
    }

    /// Hides every value read so far.
    var redaction: SecretRedaction {
        SecretRedaction(resolved.withLock { $0.values.flatMap(\.values) })
    }

    /// The variables to add to a step process's environment: the values of `names`, and
    /// ``variablesVariable`` saying which they are.
    func processEnvironment(for names: [String], step: String, stack: Stack) async throws -> [String: String] {
        guard !names.isEmpty else { return [:] }
        var environment = try await self.environment(for: names, step: step, stack: stack)
        let listed = resolved.withLock { all in names.reduce(into: [String: [String]]()) { $0[$1] = all[$1]?.keys.sorted() } }
        environment[Self.variablesVariable] = try CanonicalJSON.string(encoding: listed)
        return environment
    }

    /// The secrets a parent process passed in `environment` (see ``processEnvironment(for:step:stack:)``):
    /// a step process reads them there rather than from the store, and needs no master key.
    static func passed(in environment: [String: String]) -> RunSecrets {
        guard let listing = environment[variablesVariable],
            let listed = try? CanonicalJSON.decode([String: [String]].self, from: listing)
        else { return RunSecrets() }
        return RunSecrets(resolved: listed.mapValues { variables in
            Dictionary(variables.compactMap { variable in environment[variable].map { (variable, $0) } }, uniquingKeysWith: { $1 })
        })
    }
}
