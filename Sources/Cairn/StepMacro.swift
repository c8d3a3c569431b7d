/// Makes a step from a function.
///
/// `@Step` leaves the function as it is and adds, beside it, a callable step value named after it
/// with the suffix `Step`. Inside a pipeline's body, calling that value records an invocation and
/// returns typed handles to the outputs:
///
/// ```swift
/// @Step
/// func train(data: Dataset, learningRate: Double = 0.1) throws -> Model { … }
///
/// let training = Pipeline("training") {
///     let model = trainStep(data: loadStep(), learningRate: 0.05)  // a Handle<Model>
/// }
/// ```
///
/// - Inputs are the function's parameters; each takes a handle (another step's output) or a plain
///   value (a literal, a pipeline parameter or `.constant(value)`), which is recorded as a parameter.
/// - A function returning a labelled tuple, `-> (train: Dataset, test: Dataset)`, has one output per label.
/// - The step embeds a fingerprint of the function's source (attributes, comments and whitespace
///   excluded), computed at compile time, so caching notices when the body changes.
///
/// - Parameters:
///   - name: The step's name; by default, the function's name.
///   - options: The step's options.
@attached(peer, names: suffixed(Step), suffixed(_Step))
public macro Step(name: String? = nil, options: StepOptions = StepOptions()) =
    #externalMacro(module: "CairnMacros", type: "StepMacro")
