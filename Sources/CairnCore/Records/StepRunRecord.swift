public import Foundation

/// A recorded run of one step invocation.
public struct StepRunRecord: Codable, Sendable, Equatable, Identifiable {
    /// The step run's unique identifier.
    public var id: String
    /// The run it belongs to.
    public var runID: String
    /// The invocation's name in the pipeline (`train_2`).
    public var invocation: String
    /// The step's name (`train`).
    public var stepName: String
    /// The step run's status.
    public var status: ExecutionStatus
    /// When it was ready to run and waited for a place: its inputs existed. `nil` for a step run that
    /// was never queued (a skipped one).
    public var queuedAt: Date?
    /// When it started: when its body began, once it ran.
    public var startedAt: Date
    /// When it finished: when its body returned or failed.
    public var endedAt: Date?
    /// The parameters: input name to canonical JSON.
    public var parameters: [String: String]
    /// The step's code fingerprint.
    public var fingerprint: String
    /// The error text, for a failed step run.
    public var error: String?
    /// For a cached step run, the step run whose outputs it reuses.
    public var cachedFrom: String?
    /// The attempt number, from 1.
    public var attempt: Int
    /// The cache key, when caching applied to the step run.
    public var cacheKey: String?
    /// The ingredients of the cache key, as canonical JSON.
    public var cacheIngredients: String?
    /// The digest of the step run's log in the artifact store, if it logged anything.
    public var logDigest: String?

    /// Makes a record.
    public init(
        id: String, runID: String, invocation: String, stepName: String, status: ExecutionStatus, queuedAt: Date? = nil,
        startedAt: Date, endedAt: Date? = nil, parameters: [String: String] = [:], fingerprint: String = "", error: String? = nil,
        cachedFrom: String? = nil, attempt: Int = 1, cacheKey: String? = nil, cacheIngredients: String? = nil,
        logDigest: String? = nil
    ) {
        self.id = id
        self.runID = runID
        self.invocation = invocation
        self.stepName = stepName
        self.status = status
        self.queuedAt = queuedAt
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.parameters = parameters
        self.fingerprint = fingerprint
        self.error = error
        self.cachedFrom = cachedFrom
        self.attempt = attempt
        self.cacheKey = cacheKey
        self.cacheIngredients = cacheIngredients
        self.logDigest = logDigest
    }

    /// The record of a new step run as it is stored: one created in a final status (skipped,
    /// failed, cached) ends when it starts.
    public init(_ stepRun: NewStepRun) {
        self.init(
            id: stepRun.id, runID: stepRun.runID, invocation: stepRun.invocation, stepName: stepRun.stepName, status: stepRun.status,
            queuedAt: stepRun.queuedAt, startedAt: stepRun.startedAt, endedAt: stepRun.status.isFinished ? stepRun.startedAt : nil, parameters: stepRun.parameters,
            fingerprint: stepRun.fingerprint, error: stepRun.error, cachedFrom: stepRun.cachedFrom, attempt: stepRun.attempt,
            cacheKey: stepRun.cacheKey, cacheIngredients: stepRun.cacheIngredients)
    }

    /// How long it ran, once finished.
    public var duration: TimeInterval? {
        endedAt.map { $0.timeIntervalSince(startedAt) }
    }
}

/// What a step run needs to be created.
public struct NewStepRun: Sendable {
    /// Its identifier, chosen by the caller (a new UUID by default), so that step runs recorded
    /// together can name each other as parents.
    public var id: String
    /// The run it belongs to.
    public var runID: String
    /// The invocation's name.
    public var invocation: String
    /// The step's name.
    public var stepName: String
    /// The initial status: running, or skipped for a step that will not run.
    public var status: ExecutionStatus
    /// When it was ready to run, if it was queued.
    public var queuedAt: Date?
    /// When it started.
    public var startedAt: Date
    /// The parameters.
    public var parameters: [String: String]
    /// The code fingerprint.
    public var fingerprint: String
    /// The input artifact versions: input name, position in a fan-in, artifact version identifier.
    public var inputs: [InputLink]
    /// The step runs it depends on.
    public var parents: [String]
    /// The error text, for a step run created already failed or skipped.
    public var error: String?
    /// The attempt number.
    public var attempt: Int
    /// The cache key, when caching applies.
    public var cacheKey: String?
    /// The cache key's ingredients, as canonical JSON.
    public var cacheIngredients: String?
    /// For a cached step run, the step run whose outputs it reuses.
    public var cachedFrom: String?
    /// For a cached step run, the reused output artifact versions: output name to version identifier.
    public var reusedOutputs: [String: String]

    /// Makes a request.
    public init(
        id: String = RandomIdentifier.make(), runID: String, invocation: String, stepName: String, status: ExecutionStatus,
        queuedAt: Date? = nil, startedAt: Date, parameters: [String: String] = [:], fingerprint: String = "", inputs: [InputLink] = [], parents: [String] = [],
        error: String? = nil, attempt: Int = 1, cacheKey: String? = nil, cacheIngredients: String? = nil,
        cachedFrom: String? = nil, reusedOutputs: [String: String] = [:]
    ) {
        self.id = id
        self.runID = runID
        self.invocation = invocation
        self.stepName = stepName
        self.status = status
        self.queuedAt = queuedAt
        self.startedAt = startedAt
        self.parameters = parameters
        self.fingerprint = fingerprint
        self.inputs = inputs
        self.parents = parents
        self.error = error
        self.attempt = attempt
        self.cacheKey = cacheKey
        self.cacheIngredients = cacheIngredients
        self.cachedFrom = cachedFrom
        self.reusedOutputs = reusedOutputs
    }
}

/// An input artifact version of a step run.
public struct InputLink: Codable, Sendable, Equatable {
    /// The input's name.
    public var name: String
    /// The position in a fan-in list; 0 for a single artifact.
    public var position: Int
    /// The artifact version's identifier.
    public var artifactVersionID: String

    /// Makes a link.
    public init(name: String, position: Int = 0, artifactVersionID: String) {
        self.name = name
        self.position = position
        self.artifactVersionID = artifactVersionID
    }
}

/// How a step run ended.
public enum StepOutcome: Sendable {
    /// It completed and produced these outputs; `note` records a problem that did not fail it,
    /// such as a failing success hook.
    case completed(outputs: [NewArtifactVersion], note: String? = nil)
    /// It failed with this error text.
    case failed(error: String)
    /// It was stopped before it finished.
    case stopped(reason: String)
}
