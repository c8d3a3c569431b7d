/// Where a step input's value comes from, as recorded in a pipeline's graph.
///
/// A binding is plain data, so that another process can rebuild exactly the same graph and
/// find the same inputs: that is what running a single step out of process relies on.
public indirect enum InputBinding: Codable, Hashable, Sendable {
    /// The output named `output` of the step invocation named `invocation`: an artifact input.
    case output(invocation: String, output: String)
    /// A plain value, encoded as canonical JSON: a parameter.
    case constant(json: String)
    /// Several bindings gathered into one array input: a fan-in.
    case list([InputBinding])

    /// The invocations this binding reads outputs from, in order of first appearance.
    public var upstreamInvocations: [String] {
        switch self {
        case .output(let invocation, _): [invocation]
        case .constant: []
        case .list(let elements): elements.flatMap(\.upstreamInvocations)
        }
    }

    /// Whether the binding is made of constants only, and so is a parameter.
    public var isParameter: Bool {
        switch self {
        case .output: false
        case .constant: true
        case .list(let elements): elements.allSatisfy(\.isParameter)
        }
    }
}
