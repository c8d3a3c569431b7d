/// An error Cairn reports: each case names the problem and where it is.
public enum CairnError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A step input or output type has no serializer.
    case noSerializer(type: String)
    /// A value cannot be encoded as JSON: its type's `Encodable` implementation threw `reason`.
    case notEncodable(type: String, reason: String)
    /// A value is not of the type that was expected.
    case typeMismatch(expected: String, found: String)
    /// An artifact's bytes cannot be read back.
    case corruptArtifact(String)
    /// An artifact's bytes do not match the digest they were stored under.
    case digestMismatch(expected: String, actual: String)
    /// An artifact's bytes are not in the artifact store.
    case missingArtifact(digest: String)
    /// An artifact version cannot be used because its bytes are missing or changed: `artifact` is
    /// its `name:version`, `origin` the step and run that made it, if a step did. The version is
    /// marked unusable, so the next run or resume runs that step again.
    case unusableArtifact(artifact: String, origin: String?, reason: String)
    /// A pipeline's graph is not valid.
    case invalidPipeline(pipeline: String, reason: String)
    /// A name (of a run, step, artifact or pipeline) is not acceptable.
    case invalidName(kind: String, name: String, reason: String)
    /// A parameter value given at run time does not fit the pipeline's parameter.
    case invalidParameter(argument: String, reason: String)
    /// A pipeline's parameter values were refused by their type's ``ValidatableParameters/validate()``.
    case invalidParameters(pipeline: String, reason: String)
    /// A run configuration sets something wrongly: `key` is the setting's dotted path
    /// (`steps.train.enable_cache`), `location` where a configuration file sets it.
    case invalidConfiguration(key: String, reason: String, location: SourceLocation?)
    /// A run-name template cannot be expanded.
    case invalidTemplate(template: String, reason: String)
    /// No pipeline, run, step run or artifact has this name.
    case notFound(kind: String, name: String, suggestion: String?)
    /// A step's body threw.
    case stepFailed(step: String, message: String)
    /// A run finished with failures: what failed, and the run's record.
    case runFailed(RunFailure)
    /// A run cannot be resumed, for `reason`.
    case runNotResumable(run: String, reason: String)
    /// A process that ran a run found, at its end, that another process (`owner`) runs it now.
    case runTakenOver(run: String, owner: String)
    /// A step was to run in a run that has ended, with this status.
    case runEnded(run: String, status: ExecutionStatus)
    /// A run name given as it is (a template without a date or time) is already taken.
    case runNameTaken(name: String)
    /// Another record of this kind (a schedule, say) already has this name.
    case nameTaken(kind: String, name: String)
    /// The metadata store cannot be used.
    case store(String)

    /// The error as a sentence that names the problem and where it is.
    public var description: String {
        switch self {
        case .noSerializer(let type):
            "no serializer for type \(type): make it Codable, or conform it to ArtifactSerializable"
        case .notEncodable(let type, let reason):
            "a value of type \(type) cannot be encoded as JSON: \(reason)"
        case .typeMismatch(let expected, let found):
            "expected a value of type \(expected), found \(found)"
        case .corruptArtifact(let reason):
            "the artifact is corrupt: \(reason)"
        case .digestMismatch(let expected, let actual):
            "the artifact stored as \(expected) has changed on disk: its bytes now hash to \(actual)"
        case .missingArtifact(let digest):
            "the artifact \(digest) is missing from the artifact store"
        case .unusableArtifact(let artifact, let origin, let reason):
            "artifact '\(artifact)'\(origin.map { " (made by \($0))" } ?? "") cannot be used: \(reason); "
                + "it is marked unusable, so the next run or resume recomputes it"
        case .invalidPipeline(let pipeline, let reason):
            "pipeline '\(pipeline)' is not valid: \(reason)"
        case .invalidName(let kind, let name, let reason):
            "invalid \(kind) name \(name.debugDescription): \(reason)"
        case .invalidParameter(let argument, let reason):
            "invalid parameter \(argument.debugDescription): \(reason)"
        case .invalidParameters(let pipeline, let reason):
            "invalid parameters for pipeline '\(pipeline)': \(reason)"
        case .invalidConfiguration(_, let reason, let location):
            "\(location.map { "\($0)" } ?? "invalid configuration"): \(reason)"
        case .invalidTemplate(let template, let reason):
            "invalid run name template \(template.debugDescription): \(reason)"
        case .notFound(let kind, let name, let suggestion):
            "no \(kind) named '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .stepFailed(let step, let message):
            "step '\(step)' failed: \(message)"
        case .runFailed(let failure):
            failure.description
        case .runNotResumable(let run, let reason):
            "run '\(run)' cannot be resumed: \(reason)"
        case .runTakenOver(let run, let owner):
            "run '\(run)' was taken over by \(owner), which resumed it after taking this process for dead; "
                + "this process's end of the run is not recorded"
        case .runEnded(let run, let status):
            "run '\(run)' is \(status.rawValue): its steps run only while it is running; start a new run, or resume it if it failed "
                + "or stopped (to add an attempt to the ended run anyway, allow it explicitly: step run --allow-ended-run)"
        case .runNameTaken(let name):
            "a run named '\(name)' already exists; give this run another name, or use a name template with {date} or {time}, "
                + "whose runs are numbered (\(name)_2)"
        case .nameTaken(let kind, let name):
            "a \(kind) named '\(name)' already exists; choose another name, or change or delete that one"
        case .store(let reason):
            reason
        }
    }
}
