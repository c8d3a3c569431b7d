import CairnCore
import Crypto
import Foundation

/// Gathers the ingredients of a step run's cache key, following the step's cache policy.
enum CacheKeyBuilder {
    /// The ingredients for running `node` with the outputs of `upstream`.
    ///
    /// Throws when an ingredient cannot be computed: a file dependency that cannot be read, or a
    /// cache function that throws.
    static func ingredients(
        of node: PipelineNode, definition: StepDefinition, options: ResolvedStepOptions, upstream: [String: UpstreamStep]
    ) throws -> CacheKeyIngredients {
        let policy = options.cachePolicy
        let ignored = Set(policy.ignoredInputs)
        var inputs: [String: [String]] = [:]
        for input in node.inputs where !ignored.contains(input.name) && !input.binding.isParameter {
            let leaves: [InputBinding]
            if case .list(let elements) = input.binding { leaves = elements } else { leaves = [input.binding] }
            inputs[input.name] = try leaves.flatMap { leaf -> [String] in
                switch leaf {
                case .constant(let json): return ["value:" + json]
                case .list: return ["list:" + (try CanonicalJSON.string(encoding: leaf))]
                case .output(let invocation, let output):
                    guard let version = upstream[invocation]?.output(output) else { return ["missing:\(invocation).\(output)"] }
                    return (policy.includeArtifactValues ? ["sha256:" + version.digest] : [])
                        + (policy.includeArtifactIDs ? ["id:" + version.id] : [])
                }
            }
        }
        var files: [String: String] = [:]
        for path in policy.fileDependencies {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw CairnError.stepFailed(step: node.invocation, message: "its cache policy lists the file '\(path)', which cannot be read")
            }
            files[path] = SHA256.hash(data: contents).hexString
        }
        let cacheFunctionValue: String?
        do {
            cacheFunctionValue = try policy.cacheFunction?()
        } catch {
            throw CairnError.stepFailed(step: node.invocation, message: "its cache function threw: \(String(reflecting: error))")
        }
        return CacheKeyIngredients(
            step: node.step,
            codeFingerprint: policy.includeStepCode ? node.fingerprint : nil,
            parameters: policy.includeParameters ? node.parameters.filter { !ignored.contains($0.key) } : [:],
            inputs: inputs,
            outputs: Dictionary(uniqueKeysWithValues: definition.outputs.map { output in
                let serializer = try? output.type.serializer.get()
                return (output.name, serializer.map { "\($0.identifier)@\($0.version)" } ?? "none")
            }),
            environment: options.environment,
            secretNames: options.secrets.sorted(),
            files: files,
            sources: policy.sourceDependencies,
            cacheFunctionValue: cacheFunctionValue)
    }
}
