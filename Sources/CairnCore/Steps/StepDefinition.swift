/// A step as the runtime sees it: name, code fingerprint, typed inputs and outputs, options and body.
///
/// The `@Step` macro makes one from a function. Without the macro, ``Step`` makes one from a closure.
/// A definition is a value: modified copies (``StepFunction/named(_:)``, ``StepFunction/after(_:)``)
/// leave the original untouched.
public struct StepDefinition: Sendable {
    /// The step's stable name; invocations are named after it (`train`, `train_2`).
    public var name: String
    /// A digest of the step's source, normalised for whitespace and comments.
    public var fingerprint: String
    /// The inputs, in the order of the function's parameters.
    public var inputs: [StepInputDeclaration]
    /// The outputs: one named `output`, or several named by the function's tuple labels.
    public var outputs: [StepOutputDeclaration]
    /// The step's options.
    public var options: StepOptions
    /// Code run when the step ends.
    public var hooks: StepHooks
    /// The invocation name the next call uses instead of a generated one.
    public var invocationName: String?
    /// Invocations the next call must run after, without taking data from them.
    public var upstreamInvocations: [String]
    /// Problems found when the call was recorded in a dynamic pipeline; the step fails with them.
    public var problems: [String] = []
    /// Runs the function.
    public let body: @Sendable (StepArguments) async throws -> [any Sendable]

    /// Makes a definition.
    public init(
        name: String, fingerprint: String, inputs: [StepInputDeclaration], outputs: [StepOutputDeclaration],
        options: StepOptions = StepOptions(), body: @escaping @Sendable (StepArguments) async throws -> [any Sendable]
    ) {
        self.name = name
        self.fingerprint = fingerprint
        self.inputs = inputs
        self.outputs = outputs
        self.options = options
        self.hooks = StepHooks()
        self.invocationName = nil
        self.upstreamInvocations = []
        self.body = body
    }
}

/// A step input: its parameter name and type.
public struct StepInputDeclaration: Sendable {
    /// The function parameter's name.
    public let name: String
    /// The input's type.
    public let type: ValueType

    /// Declares an input.
    public init<T: Sendable>(_ name: String, _ type: T.Type) {
        self.name = name
        self.type = ValueType(type)
    }
}

/// A step output: its name and type.
public struct StepOutputDeclaration: Sendable {
    /// The output's name: `output` for a single output, or the tuple label.
    public let name: String
    /// The output's type.
    public let type: ValueType

    /// Declares an output.
    public init<T: Sendable>(_ name: String, _ type: T.Type) {
        self.name = name
        self.type = ValueType(type)
    }
}
