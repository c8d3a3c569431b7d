/// A step as the runtime sees it: name, code fingerprint, typed inputs and outputs, options and body.
///
/// The `@Step` macro makes one from a function. Without the macro, ``ClosureStep`` makes one from a closure.
/// A definition is a value: modified copies (``Step/named(_:)``, ``Step/after(_:)``)
/// leave the original untouched.
public struct StepDefinition: Sendable {
    /// The step's stable name; invocations are named after it (`train`, `train_2`).
    public var name: String {
        get { storage.name }
        set { uniqueStorage().name = newValue }
    }
    /// A digest of the step's source, normalised for whitespace and comments.
    public var fingerprint: String {
        get { storage.fingerprint }
        set { uniqueStorage().fingerprint = newValue }
    }
    /// The inputs, in the order of the function's parameters.
    public var inputs: [StepInputDeclaration] {
        get { storage.inputs }
        set { uniqueStorage().inputs = newValue }
    }
    /// The outputs: one named `output`, or several named by the function's tuple labels.
    public var outputs: [StepOutputDeclaration] {
        get { storage.outputs }
        set { uniqueStorage().outputs = newValue }
    }
    /// The step's options.
    public var options: StepOptions {
        get { storage.options }
        set { uniqueStorage().options = newValue }
    }
    /// Code run when the step ends.
    public var hooks: StepHooks {
        get { storage.hooks }
        set { uniqueStorage().hooks = newValue }
    }
    /// The invocation name the next call uses instead of a generated one.
    public var invocationName: String? {
        get { storage.invocationName }
        set { uniqueStorage().invocationName = newValue }
    }
    /// Invocations the next call must run after, without taking data from them.
    public var upstreamInvocations: [String] {
        get { storage.upstreamInvocations }
        set { uniqueStorage().upstreamInvocations = newValue }
    }
    /// Problems found when the call was recorded in a dynamic pipeline; the step fails with them.
    public var problems: [String] {
        get { storage.problems }
        set { uniqueStorage().problems = newValue }
    }
    /// Runs the function.
    public var body: @Sendable (StepArguments) async throws -> [any Sendable] { storage.body }

    /// The fields, shared by copies until one of them changes: a dynamic pipeline may hold a
    /// hundred thousand calls of one step, each with its definition.
    private var storage: Storage

    /// Makes a definition.
    public init(
        name: String, fingerprint: String, inputs: [StepInputDeclaration], outputs: [StepOutputDeclaration],
        options: StepOptions = StepOptions(), body: @escaping @Sendable (StepArguments) async throws -> [any Sendable]
    ) {
        storage = Storage(
            name: name, fingerprint: fingerprint, inputs: inputs, outputs: outputs, options: options, hooks: StepHooks(),
            invocationName: nil, upstreamInvocations: [], problems: [], body: body)
    }

    /// The storage, copied first if another definition shares it.
    private mutating func uniqueStorage() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    /// `@unchecked Sendable` because a storage is changed only through `uniqueStorage()`, that is
    /// when a single definition holds it, which the caller is mutating and so has exclusive access
    /// to; storages that are shared are only read. This is how the standard library's collections
    /// share their buffers.
    private final class Storage: @unchecked Sendable {
        var name: String
        var fingerprint: String
        var inputs: [StepInputDeclaration]
        var outputs: [StepOutputDeclaration]
        var options: StepOptions
        var hooks: StepHooks
        var invocationName: String?
        var upstreamInvocations: [String]
        var problems: [String]
        let body: @Sendable (StepArguments) async throws -> [any Sendable]

        init(
            name: String, fingerprint: String, inputs: [StepInputDeclaration], outputs: [StepOutputDeclaration], options: StepOptions,
            hooks: StepHooks, invocationName: String?, upstreamInvocations: [String], problems: [String],
            body: @escaping @Sendable (StepArguments) async throws -> [any Sendable]
        ) {
            self.name = name
            self.fingerprint = fingerprint
            self.inputs = inputs
            self.outputs = outputs
            self.options = options
            self.hooks = hooks
            self.invocationName = invocationName
            self.upstreamInvocations = upstreamInvocations
            self.problems = problems
            self.body = body
        }

        func copy() -> Storage {
            Storage(
                name: name, fingerprint: fingerprint, inputs: inputs, outputs: outputs, options: options, hooks: hooks,
                invocationName: invocationName, upstreamInvocations: upstreamInvocations, problems: problems, body: body)
        }
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
