/// Makes a step from a function.
///
/// `@Step` adds, beside the function, a callable step value named after it with the suffix `Step`.
/// Inside a pipeline's body, calling that value records an invocation and returns typed handles to
/// the outputs. Calling the function itself there is a mistake (it would run while the pipeline is
/// built, and nothing would be recorded): the pipeline fails to compile, naming the step value to
/// call. Anywhere else, the function is an ordinary function.
///
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
/// Outputs are named where the step is declared: a function returning a labelled tuple has one
/// output per label; a single output is called `output` unless `output:` names it. Each output is
/// stored as a version of the artifact `{pipeline}::{step}::{output}`, unless `artifacts:` names it:
///
/// ```swift
/// @Step(output: "model", artifacts: ["model": "iris_model"])
/// func train(data: Dataset) -> Model { … }        // versions of the artifact "iris_model"
///
/// @Step
/// func split(data: Dataset) -> (train: Dataset, test: Dataset) { … }   // training::split::train, …::test
/// ```
///
/// Names are checked when the pipeline is compiled, before anything runs.
///
/// - Parameters:
///   - name: The step's name; by default, the function's name.
///   - output: The name of the single output; by default, `output`.
///   - artifacts: Artifact names by output name, replacing `{pipeline}::{step}::{output}`; the
///     placeholders `{pipeline}`, `{step}`, `{output}`, `{run}`, `{date}` and `{time}` are expanded.
///   - options: The step's options.
@attached(peer, names: suffixed(Step), suffixed(_Step))
@attached(body)
public macro Step(name: String? = nil, output: String? = nil, artifacts: [String: String] = [:], options: StepOptions = StepOptions()) =
    #externalMacro(module: "CairnMacros", type: "StepMacro")

/// Adds a constant holding the fingerprint of a function's source, named after it with the suffix
/// `Fingerprint`.
///
/// List it in a step's cache policy, so that editing a helper the step calls invalidates the step's
/// cached results (as editing the step itself does):
///
/// ```swift
/// @Fingerprinted
/// func tokenize(_ text: String) -> [String] { … }
///
/// let countingPolicy = CachePolicy(sourceDependencies: [tokenizeFingerprint])
///
/// @Step(options: StepOptions(cachePolicy: countingPolicy))
/// func countWords(text: String) -> Int { tokenize(text).count }
/// ```
///
/// The policy is a constant of its own: the compiler does not find a name that a macro adds, such
/// as `tokenizeFingerprint`, in the arguments of another macro.
@attached(peer, names: suffixed(Fingerprint))
public macro Fingerprinted() = #externalMacro(module: "CairnMacros", type: "FingerprintedMacro")
