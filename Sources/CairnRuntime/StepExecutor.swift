public import CairnCore
import Foundation
import Logging

/// Runs one step invocation: records it, loads its inputs, calls its body, stores its outputs.
///
/// The in-process orchestrator calls it directly and `step run` calls it in a separate process, so a
/// step behaves the same wherever it runs.
public struct StepExecutor: Sendable {
    /// Where the step run is recorded.
    public let metadata: any MetadataStore
    /// Where inputs are read from and outputs written to.
    public let artifacts: any ArtifactStore

    /// Makes an executor.
    public init(metadata: any MetadataStore, artifacts: any ArtifactStore) {
        self.metadata = metadata
        self.artifacts = artifacts
    }

    /// Runs the invocation described by `launch` and returns how it ended.
    ///
    /// When the launch has a ``StepLaunch/handOff``, the step's outputs are handed on as soon as they
    /// are written, and made durable and recorded after that.
    public func execute(_ launch: StepLaunch) async -> StepResult {
        let recording = launch.handOff == nil ? nil : StepRecording()
        let result = await run(launch, recording: recording)
        recording?.end(recorded: result.status == .completed)
        return result
    }

    private func run(_ launch: StepLaunch, recording: StepRecording?) async -> StepResult {
        let invocation = launch.invocation
        guard let node = launch.pipeline.graph.node(invocation), let definition = launch.pipeline.definitions[invocation] else {
            return StepResult(invocation: invocation, record: nil, error: "pipeline '\(launch.pipeline.name)' has no step '\(invocation)'")
        }
        let options = definition.options.resolved(in: launch.pipeline.options)
        let ingredientsJSON = Result {
            try launch.cacheIngredientsJSON
                ?? CacheKeyBuilder.ingredients(of: node, definition: definition, options: options, upstream: launch.upstream).canonicalJSON
        }
        let cacheJSON = try? ingredientsJSON.get()
        let stepRun: NewStepRun
        do {
            stepRun = NewStepRun(
                runID: launch.run.id, invocation: invocation, stepName: node.step, status: .running, queuedAt: launch.queuedAt,
                startedAt: Date(),
                parameters: node.parameters, fingerprint: node.fingerprint,
                inputs: try Self.inputLinks(of: node, upstream: launch.upstream),
                parents: node.upstream.compactMap { launch.upstream[$0]?.stepRunID },
                attempt: launch.attempt,
                cacheKey: cacheJSON.map(CacheKeyIngredients.key(ofCanonicalJSON:)), cacheIngredients: cacheJSON)
        } catch {
            return StepResult(invocation: invocation, record: nil, error: "could not record step '\(invocation)': \(error)")
        }
        // The step run is recorded as running once the steps it depends on are recorded: at once,
        // unless one of them handed its outputs on early. Then the body does not wait for them.
        let claim = Locked(false)
        async let created = Self.create(stepRun, after: launch.upstream, in: metadata, unless: claim)
        if !launch.upstream.hasOutputsHandedOnEarly, case .failure(let error) = await created {
            return StepResult(invocation: invocation, record: nil, error: "could not record step '\(invocation)': \(error)")
        }
        let record = StepRunRecord(stepRun)
        let log = StepLog()
        let metadataLog = StepMetadataLog()
        var staged: [StagedBlob] = []
        var recordedWhole = false
        var bodyStartedAt: Date?
        var bodyEnd: Date?
        do {
            if !definition.problems.isEmpty {
                throw CairnError.invalidPipeline(pipeline: launch.pipeline.name, reason: definition.problems.joined(separator: "; "))
            }
            _ = try ingredientsJSON.get()
            let reader = BindingReader(artifacts: artifacts, metadata: metadata) { try Self.artifact($0, $1, launch.upstream) }
            var arguments: [Any] = []
            for (declaration, input) in zip(definition.inputs, node.inputs) {
                arguments.append(try await reader.value(of: input.binding, as: declaration.type, for: "input '\(input.name)' of step '\(invocation)'"))
            }
            let secrets = try await launch.stack.runSecrets.environment(for: options.secrets, step: invocation, stack: launch.stack)
            let context = StepContext(
                stepRunID: record.id, runID: launch.run.id, runName: launch.run.name, pipelineName: launch.pipeline.name,
                invocation: invocation, environment: options.environment.merging(secrets) { _, secret in secret }, initState: launch.initState,
                metadataLog: metadataLog,
                logger: log.makeLogger(label: "cairn.step.\(invocation)", enabled: options.enableStepLogs))
            // Step code is user code, which may block: it runs on threads of its own (see
            // ``ThreadPoolExecutor``). Its recorded times are those of its body, taken there, so
            // that waiting to get back to the scheduler's threads is not counted.
            let values = try await ThreadPoolExecutor.steps.runUserCode {
                bodyStartedAt = Date()
                defer { bodyEnd = Date() }
                return try await StepContext.$current.withValue(context) {
                    try await definition.body(StepArguments(arguments))
                }
            }
            let bodyEndedAt = bodyEnd ?? Date()
            try Task.checkCancellation()
            let redaction = launch.stack.runSecrets.redaction
            let logged = metadataLog.logged.redacted(by: redaction)
            var outputs: [NewArtifactVersion] = []
            for (declaration, value) in zip(definition.outputs, values) {
                var (output, blob) = try await stage(
                    value, as: declaration, named: definition.options.artifactNames[declaration.name], invocation: invocation,
                    run: launch.run, describe: options.enableArtifactMetadata)
                staged.append(blob)
                output.metadata.merge(logged.outputs[declaration.name] ?? [:]) { _, user in user }
                if !redaction.isEmpty { output.metadata = output.metadata.mapValues(redaction.redact) }
                outputs.append(output)
            }
            if let recording, let handOff = launch.handOff {
                let now = Date()
                let versions = outputs.map { ArtifactVersionRecord($0, number: 0, producer: record.id, createdAt: now) }
                handOff.deliver(UpstreamStep(stepRunID: record.id, named: versions[...], recording: recording))
            }
            for blob in staged { try await artifacts.commit(blob) }
            staged = []
            // A step that ran to its end before it could be recorded as running (the outputs it started
            // on were still being recorded) is recorded whole, as started and ended at once, by the run's
            // recorder: after those outputs, often in the same transaction. Not one with a success hook,
            // which is given its recorded step run.
            let whole = definition.hooks.onSuccess == nil && claim.withLock { Self.take(&$0) }
            let versions: [ArtifactVersionRecord]
            var finished: StepRunRecord
            if !whole, let running = try await created.get() {
                try await storeMetadata(logged, stepRunID: running.id, runID: launch.run.id)
                finished = running
                finished.logDigest = await store(log, of: running, redacting: redaction)
                finished.error = await Self.runHook(definition.hooks.onSuccess.map { hook in { try await hook(running) } }, named: "on_success")
                    .map(redaction.redact)
                (finished.startedAt, finished.endedAt) = (bodyStartedAt ?? running.startedAt, bodyEndedAt)
                versions = try await metadata.finishStepRun(
                    id: running.id, outcome: .completed(outputs: outputs, note: finished.error), startedAt: bodyStartedAt, at: bodyEndedAt)
            } else {
                // Only a step started on outputs handed on early, by this process's scheduler, which
                // gives it a recorder, can end before it is recorded as running.
                guard whole, let recording, let recorder = launch.handOff?.recorder else {
                    preconditionFailure("a step run is recorded when it starts unless it is recorded whole when it ends")
                }
                var wholeRun = stepRun
                wholeRun.startedAt = bodyStartedAt ?? stepRun.startedAt
                versions = try await recorder.record(
                    WholeStepRun(wholeRun, outcome: .completed(outputs: outputs), endedAt: bodyEndedAt), as: recording, after: launch.upstream)
                recordedWhole = true
                finished = StepRunRecord(wholeRun)
                finished.endedAt = bodyEndedAt
                try await storeMetadata(logged, stepRunID: wholeRun.id, runID: launch.run.id)
                finished.logDigest = await store(log, of: finished, redacting: redaction)
            }
            finished.status = .completed
            return StepResult(
                invocation: invocation, record: finished, outputs: Dictionary(zip(definition.outputs.map(\.name), versions), uniquingKeysWith: { $1 }))
        } catch {
            for blob in staged { await artifacts.discard(blob) }
            let creation = await created
            if case .failure(let unrecorded as UpstreamNotRecorded) = creation {
                return await StepResult.skipped(
                    node, reason: "step '\(unrecorded.invocations[0])' did not complete", run: launch.run,
                    parents: node.upstream.compactMap { unrecorded.invocations.contains($0) ? nil : launch.upstream[$0]?.stepRunID },
                    attempt: launch.attempt, metadata: metadata)
            }
            let stopped = error is CancellationError || Task.isCancelled
            let failedAt = bodyEnd ?? Date()
            let redaction = launch.stack.runSecrets.redaction
            let message = stopped ? "stopped: the run was cancelled after another step failed" : redaction.redact(Self.describe(error))
            let hookFailure = stopped ? nil : await Self.runHook(definition.hooks.onFailure.map { hook in { try await hook(record, error) } }, named: "on_failure")
            let recorded = hookFailure.map { "\(message)\n(\(redaction.redact($0)))" } ?? message
            let outcome: StepOutcome = stopped ? .stopped(reason: message) : .failed(error: recorded)
            // A cancelled task cannot write (the store refuses work for it), yet the end of the step
            // must be recorded, or it would look "running" forever: record it from a task of its own.
            // A step run not yet recorded (its creation was cancelled too, or it was to be recorded
            // whole) is recorded first.
            var isRecorded = recordedWhole
            if case .success(.some) = creation { isRecorded = true }
            let metadata = self.metadata
            let finished = await Task { [self, isRecorded, bodyStartedAt] in
                if !isRecorded, (try? await metadata.createStepRun(stepRun)) == nil { return nil as StepRunRecord? }
                await store(log, of: record, redacting: redaction)
                _ = try? await metadata.finishStepRun(id: record.id, outcome: outcome, startedAt: bodyStartedAt, at: failedAt)
                return try? await metadata.stepRun(id: record.id)
            }.value
            return StepResult(invocation: invocation, record: finished, error: message, failure: stopped ? nil : error)
        }
    }

    /// Records `stepRun` as running once every step in `upstream` is recorded, unless the step took
    /// `claim` first to record itself whole (then `nil`). Its start is corrected to its body's when it ends.
    private static func create(
        _ stepRun: NewStepRun, after upstream: [String: UpstreamStep], in metadata: any MetadataStore, unless claim: Locked<Bool>
    ) async -> Result<StepRunRecord?, any Error> {
        if upstream.hasOutputsHandedOnEarly {
            let unrecorded = await upstream.unrecorded
            if !unrecorded.isEmpty { return .failure(UpstreamNotRecorded(invocations: unrecorded)) }
        }
        guard claim.withLock({ take(&$0) }) else { return .success(nil) }
        do {
            return .success(try await metadata.createStepRun(stepRun))
        } catch {
            return .failure(error)
        }
    }

    /// Takes `claim` if it is free; says whether it did.
    private static func take(_ claim: inout Bool) -> Bool {
        defer { claim = true }
        return !claim
    }

    /// Records what the step logged as metadata of its step run and of its run.
    private func storeMetadata(_ logged: StepMetadataLog.Entries, stepRunID: String, runID: String) async throws {
        if !logged.stepRun.isEmpty { try await metadata.logMetadata(logged.stepRun, on: .stepRun(id: stepRunID)) }
        if !logged.run.isEmpty { try await metadata.logMetadata(logged.run, on: .run(id: runID)) }
    }

    /// Stores what the step logged, if anything, with secret values replaced, links it to its step
    /// run and returns its digest.
    @discardableResult
    private func store(_ log: StepLog, of record: StepRunRecord, redacting redaction: SecretRedaction) async -> String? {
        let contents = redaction.redact(log.contents)
        guard !contents.isEmpty, let blob = try? await artifacts.store({ try $0.write(contents) }),
            (try? await metadata.attachLog(stepRunID: record.id, digest: blob.digest)) != nil
        else { return nil }
        return blob.digest
    }

    /// Runs a hook, user code, on the threads of step code, and describes its failure if it throws.
    static func runHook(_ hook: (() async throws -> Void)?, named name: String) async -> String? {
        guard let hook else { return nil }
        do {
            try await ThreadPoolExecutor.steps.runUserCode(hook)
            return nil
        } catch {
            return "the \(name) hook failed: \(describe(error))"
        }
    }

    /// Describes an error thrown by a step: by its description when it has one, else by its full name
    /// (`MyModule.TrainingError.diverged`).
    static func describe(_ error: any Error) -> String {
        String(reflecting: error)
    }

    /// The input artifact versions of `node`, from the outputs of the steps it depends on.
    static func inputLinks(of node: PipelineNode, upstream: [String: UpstreamStep]) throws -> [InputLink] {
        try node.inputs.flatMap { input -> [InputLink] in
            let leaves: [InputBinding]
            if case .list(let elements) = input.binding { leaves = elements } else { leaves = [input.binding] }
            return try leaves.enumerated().compactMap { position, leaf -> InputLink? in
                guard case .output(let invocation, let output) = leaf else { return nil }
                return InputLink(name: input.name, position: position, artifactVersionID: try Self.artifact(invocation, output, upstream).id)
            }
        }
    }

    private static func artifact(_ invocation: String, _ output: String, _ upstream: [String: UpstreamStep]) throws -> ArtifactVersionRecord {
        guard let version = upstream[invocation]?.output(output) else {
            throw CairnError.notFound(kind: "output", name: "\(invocation).\(output)", suggestion: nil)
        }
        return version
    }

    /// The template of artifact names, unless a step sets its own: parsed once, since every output
    /// of every step is named with it.
    private static let defaultArtifactName = Result { try RunNameTemplate("{pipeline}::{step}::{output}") }

    /// Serializes one output into the artifact store, staged, and describes the artifact version to
    /// record, named by the default `{pipeline}::{step}::{output}` or the step's template, with
    /// placeholders expanded.
    private func stage(
        _ value: any Sendable, as declaration: StepOutputDeclaration, named template: String?, invocation: String, run: RunRecord,
        describe: Bool
    ) async throws -> (NewArtifactVersion, StagedBlob) {
        let name = try (template.map(RunNameTemplate.init) ?? Self.defaultArtifactName.get()).expand(
            pipeline: run.pipelineName, at: run.startedAt,
            substitutions: ["step": invocation, "output": declaration.name, "run": run.name], kind: "artifact")
        return try await artifacts.stage(value, as: declaration.type, name: name, outputName: declaration.name, describe: describe)
    }
}

/// Why a step started on outputs handed on early is not recorded: the steps that handed them on,
/// named here, were not.
private struct UpstreamNotRecorded: Error {
    let invocations: [String]
}
