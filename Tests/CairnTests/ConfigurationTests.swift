import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

@Suite("YAML run configuration", .timeLimit(.minutes(2)))
struct ConfigurationTests {
    let diamond = FixturePipelines.diamond

    /// The description of the error that reading `yaml` as `config.yaml` and applying it to the diamond throws.
    func message(_ yaml: String) throws -> String {
        do {
            _ = try RunConfigurationFile(yaml: yaml, path: "config.yaml").compile(diamond)
        } catch let error as CairnError {
            return error.description
        }
        Issue.record("no error for:\n\(yaml)")
        return ""
    }

    @Test("every key is read into the overrides")
    func readsEveryKey() throws {
        let file = try RunConfigurationFile(yaml: """
            run_name: "nightly-{date}"
            enable_cache: false
            execution_mode: stop_on_failure
            max_concurrency: 4
            parameters: { count: 3, fail: false }
            steps:
              scale_2:
                enable_cache: true
                parameters:
                  factor: 10
              describe:
            """, path: "config.yaml")
        #expect(file.overrides == RunOverrides(
            runNameTemplate: "nightly-{date}", enableCache: false, executionMode: .stopOnFailure, maxConcurrency: 4,
            parameters: ["count": .number(3), "fail": .bool(false)],
            steps: ["scale_2": StepOverrides(enableCache: true, parameters: ["factor": .number(10)]), "describe": StepOverrides()]))
        let compiled = try file.compile(diamond)
        #expect(compiled.options == PipelineOptions(
            runNameTemplate: "nightly-{date}", enableCache: false, executionMode: .stopOnFailure, maxConcurrency: 4))
        #expect(compiled.parametersJSON == #"{"count":3,"crash":false,"fail":false,"pauseMilliseconds":0}"#)
        #expect(compiled.graph.node("scale_2")?.parameters["factor"] == "10")
        #expect(compiled.graph.node("scale")?.parameters["factor"] == "2")
        #expect(compiled.definitions["scale_2"]?.options.enableCache == true)
        #expect(compiled.definitions["scale"]?.options.enableCache == nil)
        #expect(compiled.stepOverrides == ["scale_2": StepOverrides(enableCache: true, parameters: ["factor": .number(10)])])
    }

    @Test("retry delays and cache expiries are numbers of seconds in the file")
    func seconds() throws {
        let file = try RunConfigurationFile(yaml: """
            retry: { max_retries: 2, delay: 1.5, backoff: 2 }
            cache_policy: { expires_after: 604800 }
            """, path: "config.yaml")
        let compiled = try file.compile(diamond)
        #expect(compiled.options.retry == RetryPolicy(maxRetries: 2, delay: .milliseconds(1_500), backoff: 2))
        #expect(compiled.options.cachePolicy.expiresAfter == .seconds(7 * 86_400))
        #expect(try message("retry: { max_retries: 2, delay: -1 }\n")
            == "config.yaml:1:1: wrong value for retry: 'delay': expected a number of seconds from 0 to 1e15, found -1.0")
    }

    @Test("an empty file changes nothing")
    func emptyFile() throws {
        let compiled = try RunConfigurationFile(yaml: "# nothing yet\n", path: "config.yaml").compile(diamond)
        let plain = try diamond.compile()
        #expect(compiled.graph == plain.graph)
        #expect(compiled.options == plain.options)
        #expect(compiled.stepOverrides.isEmpty)
    }

    @Test(
        "mistakes in the file are errors naming the file, line, column and key",
        arguments: [
            (
                "run_name: \"nightly-{date}\"\nsteps:\n  describe:\n    enable_cahce: false\n",
                "config.yaml:4:5: unknown key 'enable_cahce' in steps.describe; did you mean 'enable_cache'? Known keys: enable_cache, enable_step_logs, enable_artifact_metadata, cache_policy, retry, environment, secrets, extra, settings, model, parameters"
            ),
            (
                "enable_cache: false\nrun_nmae: x\n",
                "config.yaml:2:1: unknown key 'run_nmae' in the configuration; did you mean 'run_name'? Known keys: run_name, enable_cache, execution_mode, max_concurrency, enable_step_logs, enable_artifact_metadata, cache_policy, retry, environment, secrets, tags, extra, settings, model, parameters, steps"
            ),
            (
                "enable_cache: sometimes\n",
                "config.yaml:1:1: wrong type for enable_cache: expected true or false, found the text \"sometimes\""
            ),
            (
                "steps:\n  scale:\n    enable_cache: \"false\"\n",
                "config.yaml:3:5: wrong type for steps.scale.enable_cache: expected true or false, found the text \"false\""
            ),
            (
                "max_concurrency: 2.5\n",
                "config.yaml:1:1: wrong type for max_concurrency: expected a whole number, found a number (2.5)"
            ),
            (
                "max_concurrency: 0\n",
                "config.yaml:1:1: wrong value for max_concurrency: expected at least 1, found 0"
            ),
            (
                "\n\nexecution_mode: stop_on_fail\n",
                "config.yaml:3:1: wrong value for execution_mode: expected one of fail_fast, stop_on_failure, continue_on_failure, found 'stop_on_fail'; did you mean 'stop_on_failure'?"
            ),
            (
                "run_name: \"nightly-{date\"\n",
                "config.yaml:1:1: wrong value for run_name: the '{' at offset 8 is never closed"
            ),
            (
                "parameters: [1, 2]\n",
                "config.yaml:1:1: wrong type for parameters: expected a mapping, found a list"
            ),
            (
                "steps:\n  scale: true\n",
                "config.yaml:2:3: wrong type for steps.scale: expected a mapping, found a boolean (true)"
            ),
            (
                "- enable_cache\n",
                "config.yaml:1:1: the configuration must be a mapping of keys such as run_name and parameters, found a list"
            ),
            (
                "enable_cache: true\nenable_cache: false\n",
                "config.yaml:1:1: duplicate key 'enable_cache': each key may appear once"
            ),
            (
                "parameters:\n  cuont: 3\n",
                "config.yaml:2:3: unknown parameter 'cuont' in parameters; did you mean 'count'? Known parameters: count, crash, fail, pauseMilliseconds"
            ),
            (
                "parameters:\n  count: many\n",
                "config.yaml:2:3: wrong type for parameters.count: the parameters do not fit DiamondParameters: 'count' must be Int, found a string \"many\""
            ),
            (
                "steps:\n  scael:\n    enable_cache: false\n",
                "config.yaml:2:3: unknown step 'scael' in steps; did you mean 'scale'? Known steps: makeNumbers, scale, scale_2, summarise, describe, crashIf, check"
            ),
            (
                "steps:\n  scale:\n    parameters:\n      factr: 4\n",
                "config.yaml:4:7: unknown parameter 'factr' in steps.scale.parameters; did you mean 'factor'? Known parameters: factor, pauseMilliseconds"
            ),
            (
                "steps:\n  scale:\n    parameters: { numbers: [1, 2] }\n",
                "config.yaml:3:19: input 'numbers' of step 'scale' is an artifact (from 'makeNumbers'), not a parameter; its parameters are factor, pauseMilliseconds"
            ),
            (
                "steps:\n  scale:\n    parameters:\n      factor: big\n",
                "config.yaml:4:7: wrong type for steps.scale.parameters.factor: step 'scale' takes Swift.Double, found a string \"big\""
            ),
            (
                "steps:\n  makeNumbers:\n    parameters:\n      count: 2.5\n",
                "config.yaml:4:7: wrong type for steps.makeNumbers.parameters.count: step 'makeNumbers' takes Swift.Int, found a number 2.5"
            ),
        ])
    func errors(yaml: String, expected: String) throws {
        let actual = try message(yaml)
        #expect(actual == expected)
    }

    @Test("malformed YAML is an error at the parser's line and column")
    func malformedYAML() throws {
        let text = try message("enable_cache: true\nsteps:\n  scale: [1, 2\n")
        #expect(text.hasPrefix("config.yaml:4:1: malformed YAML: "), "\(text)")
        let tab = try message("steps:\n\tscale: {}\n")
        #expect(tab.hasPrefix("config.yaml:2:1: malformed YAML: found character that cannot start any token"), "\(tab)")
    }

    @Test("a missing file is named")
    func missingFile() {
        #expect(throws: CairnError.notFound(kind: "configuration file", name: "/nonexistent/config.yaml", suggestion: nil)) {
            try RunConfigurationFile(contentsOf: "/nonexistent/config.yaml")
        }
    }

    @Test("anchors and aliases are refused where the anchor is, before any alias is expanded")
    func anchorsAndAliases() throws {
        let small = try message("extra:\n  base: &base { a: 1 }\n  copy: *base\n")
        #expect(small.hasPrefix("config.yaml:2:9: anchors and aliases (&base, *base) are not supported"), "\(small)")
        // Nine levels of nine aliases each: 387 million leaves from 340 bytes. Read whole, this took
        // minutes and gigabytes; refused, it takes as long as the file takes to parse.
        var laughs = "extra:\n  l0: &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        for level in 1...8 {
            laughs += "  l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        let refused = try message(laughs)
        #expect(refused.hasPrefix("config.yaml:2:7: anchors and aliases (&l0, *l0) are not supported"), "\(refused)")
    }

    @Test("values nested deeper than the limit are refused")
    func deepNesting() throws {
        let depth = 70
        let text = try message("extra:\n  deep: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n")
        #expect(text.contains("values nest deeper than 64 levels, the limit for a configuration file"), "\(text)")
    }

    @Test("a file over the size limit is refused without reading it all")
    func fileSizeLimit() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appending(path: "big.yaml").path
        try Data(("extra:\n  padding: \"" + String(repeating: "x", count: RunConfigurationFile.maximumFileSize) + "\"\n").utf8)
            .write(to: URL(filePath: path))
        #expect(throws: CairnError.invalidConfiguration(
            key: "", reason: "the file is larger than 1 MiB, the limit for a configuration file",
            location: SourceLocation(file: path, line: 1, column: 1))) { try RunConfigurationFile(contentsOf: path) }
    }

    @Test("a pipe and /dev/fd paths read as files do; a folder is named as one")
    func pipesAndFolders() throws {
        let pipe = Pipe()
        pipe.fileHandleForWriting.write(Data("parameters: { count: 3 }\n".utf8))
        try pipe.fileHandleForWriting.close()
        let file = try RunConfigurationFile(contentsOf: "/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)")
        #expect(file.overrides.parameters == ["count": .number(3)])

        let folder = FileManager.default.temporaryDirectory.path
        #expect(throws: CairnError.invalidConfiguration(
            key: "", reason: "this is a folder; give the path of a YAML file",
            location: SourceLocation(file: folder, line: 1, column: 1))) { try RunConfigurationFile(contentsOf: folder) }
    }

    @Test("a run whose configuration is over the size a run records is refused before it starts")
    func storedConfigurationLimit() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let length = ClosureStep<String, Int>("length", inputs: ["text"]) { $0.count }
        let pipeline = Pipeline("sized", parameters: ["text": ""]) { parameters in
            _ = length(.constant(parameters.values["text"] ?? ""))
        }
        let large = String(repeating: "x", count: RunConfiguration.maximumStoredSize)
        await #expect {
            try await pipeline.run(["text": large], on: store.stack)
        } throws: { error in
            "\(error)".contains("over the limit of 1 MiB a run records")
        }
        #expect(try await store.stack.metadata.runs(RunQuery()).isEmpty)
        #expect(try await pipeline.run(["text": "short"], on: store.stack).run.status == .completed)
    }

    @Test("errors in the file stop the run before anything is recorded")
    func nothingRuns() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let file = try RunConfigurationFile(yaml: "steps:\n  scale:\n    parameters: { factor: big }\n", path: "config.yaml")
        _ = await #expect(throws: CairnError.self) { try await diamond.run(configuration: file, on: store.stack) }
        #expect(try await store.stack.metadata.runs(RunQuery()).isEmpty)
    }

    // MARK: - Precedence

    @Test("explicit parameters win over the file's; the file wins over the declared defaults")
    func parameterPrecedence() throws {
        let file = try RunConfigurationFile(yaml: "parameters: { count: 3, pauseMilliseconds: 1 }\n", path: "config.yaml")
        let compiled = try file.compile(diamond, parameterOverrides: ["count": .number(4)])
        #expect(compiled.parametersJSON == #"{"count":4,"crash":false,"fail":false,"pauseMilliseconds":1}"#)
        #expect(compiled.graph.node("makeNumbers")?.parameters["count"] == "4")
    }

    @Test("disabling the cache, as --no-cache does, wins over enable_cache at both levels")
    func noCacheWins() throws {
        let file = try RunConfigurationFile(
            yaml: "enable_cache: true\nsteps:\n  describe:\n    enable_cache: true\n", path: "config.yaml")
        let compiled = try file.compile(diamond).disablingCache()
        #expect(compiled.options.enableCache == false)
        #expect(compiled.definitions["describe"]?.options.enableCache == false)
        #expect(compiled.stepOverrides["describe"]?.enableCache == false)
        #expect(compiled.definitions.values.allSatisfy { $0.options.enableCache != true })
    }

    @Test("a step parameter wins over the pipeline parameter that reached the step")
    func stepParameterWins() throws {
        let file = try RunConfigurationFile(
            yaml: "parameters: { count: 3 }\nsteps:\n  makeNumbers: { parameters: { count: 2 } }\n", path: "config.yaml")
        let compiled = try file.compile(diamond)
        #expect(compiled.graph.node("makeNumbers")?.parameters["count"] == "2")
        #expect(compiled.parametersJSON.contains(#""count":3"#))
    }

    // MARK: - Running

    @Test("per-step parameters apply in process, and the run records them")
    func stepParametersInProcess() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let file = try RunConfigurationFile(yaml: "steps:\n  scale_2:\n    parameters: { factor: 10 }\n", path: "config.yaml")
        let result = try await diamond.run(configuration: file, on: store.stack)
        // 1...5 doubled and times ten: 30 + 150.
        #expect(try await result.output("text", as: String.self) == "total = 180.0")
        #expect(try await result.step("scale_2")?.parameters["factor"] == "10")
        let recorded = try CanonicalJSON.decode(RunConfiguration.self, from: result.run.configuration)
        #expect(recorded.steps == ["scale_2": StepOverrides(parameters: ["factor": .number(10)])])
    }

    @Test("explicit parameters passed to run win over the file's, all of them")
    func explicitParametersInCode() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let file = try RunConfigurationFile(yaml: "parameters: { count: 3 }\nenable_cache: false\n", path: "config.yaml")
        let result = try await diamond.run(DiamondParameters(count: 2), configuration: file, on: store.stack)
        #expect(try await result.output("text", as: String.self) == "total = 15.0")  // (1 + 2) times 2 and 3
        #expect(try CanonicalJSON.decode(RunConfiguration.self, from: result.run.configuration).options.enableCache == false)
    }

    @Test("a dynamic pipeline runs with a configuration file from code too: its run name and parameters apply")
    func dynamicPipelineConfiguration() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let file = try RunConfigurationFile(yaml: "run_name: mapped-by-file\nparameters: { count: 2 }\n", path: "config.yaml")
        let result = try await FixturePipelines.dynamicMap.run(configuration: file, on: store.stack)
        #expect(result.run.name == "mapped-by-file")
        #expect(result.run.graph.nodes.map(\.invocation) == ["makeNumbers", "scale_1", "scale_2", "summarise", "check"])
    }

    @Test("per-step parameters survive a subprocess run: every step process rebuilds the recorded graph")
    func stepParametersInSubprocesses() async throws {
        let store = try TemporaryStore(orchestrator: SubprocessOrchestrator(executable: FixtureExecutable.path))
        defer { store.remove() }
        let file = try RunConfigurationFile(
            yaml: "steps:\n  scale_2:\n    parameters: { factor: 10 }\n  describe:\n    enable_cache: false\n", path: "config.yaml")
        let result = try await diamond.run(configuration: file, on: store.stack)
        #expect(try await result.steps.allSatisfy { $0.status == .completed })
        #expect(try await result.output("text", as: String.self) == "total = 180.0")
    }

    @Test("run --config on the command line: the file applies, --param wins, and a wrong file runs nothing")
    func commandLine() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let path = store.home.appending(path: "config.yaml").path
        try "run_name: \"configured-{time}\"\nparameters: { count: 3 }\nsteps:\n  scale_2: { parameters: { factor: 10 } }\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let (status, output) = try await FixtureExecutable.run(
            ["run", "diamond", "--config", path, "--param", "count=2", "--orchestrator", "subprocess", "--store", store.home.path])
        #expect(status == 0, "\(output)")
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        #expect(run.status == .completed)
        #expect(run.name.hasPrefix("configured-"))
        let recorded = try CanonicalJSON.decode(RunConfiguration.self, from: run.configuration)
        #expect(recorded.parameters.objectValue?["count"] == .number(2))
        #expect(recorded.steps["scale_2"]?.parameters["factor"] == .number(10))

        try "steps:\n  scale_2:\n    parameters: { factr: 10 }\n".write(toFile: path, atomically: true, encoding: .utf8)
        let wrong = try await FixtureExecutable.run(["run", "diamond", "--config", path, "--store", store.home.path])
        #expect(wrong.status != 0)
        #expect(wrong.output.contains("\(path):3:19: unknown parameter 'factr' in steps.scale_2.parameters; did you mean 'factor'?"), "\(wrong.output)")
        #expect(try await store.stack.metadata.runs(RunQuery()).count == 1)
    }

    @Test("a run recorded before per-step overrides existed still decodes")
    func oldRecordsDecode() throws {
        let old = #"{"options":{"enableCache":true,"executionMode":"continue_on_failure","runNameSubstitutions":{},"runNameTemplate":"{pipeline}-{date}-{time}"},"parameters":{"count":5},"pipeline":"diamond"}"#
        let configuration = try CanonicalJSON.decode(RunConfiguration.self, from: old)
        #expect(configuration.steps.isEmpty)
        #expect(configuration.options == PipelineOptions())
    }

    // MARK: - Template

    /// A pipeline with texts that look like other YAML values, lists, a nested value and a step that
    /// declares its own enable_cache.
    static let awkward = Pipeline("awkward", parameters: AwkwardParameters(), options: PipelineOptions(maxConcurrency: 2)) { parameters in
        _ = pauseStep.withOptions { $0.enableCache = false }(milliseconds: 1, label: parameters.label)
        _ = pauseStep(milliseconds: 1, label: "null")
        _ = sumStep(values: parameters.weights)
        _ = sumStep(values: [1, 2.5])
    }

    @Test(
        "the template reads back unchanged, and so does it with every commented value switched on",
        arguments: [
            FixturePipelines.diamond.withOptions {
                $0.runNameTemplate = "{pipeline}-nightly-{date}"
                $0.executionMode = .failFast
                $0.maxConcurrency = 3
                $0.enableCache = false
            } as any PipelineDefinition,
            awkward,
            // Characters YAML reads as line breaks or refuses in a quoted text, which JSON leaves as
            // they are (found by the configuration fuzz target).
            FixturePipelines.diamond.withOptions { $0.runNameTemplate = "{pipeline}\u{2028}a\u{85}b\u{7F}c\u{2029}d\u{FEFF}e\u{9F}" },
        ])
    func templateRoundTrip(pipeline: any PipelineDefinition) throws {
        let original = try pipeline.compile(parameterOverrides: [:])
        let template = RunConfigurationFile.template(for: original)
        let readBack = try RunConfigurationFile(yaml: template, path: "template.yaml").compile(pipeline)
        #expect(readBack.options == original.options)
        #expect(readBack.parametersJSON == original.parametersJSON)
        #expect(readBack.graph.digest == original.graph.digest)
        #expect(readBack.stepOverrides.values.allSatisfy { $0.parameters.isEmpty })
        for node in original.graph.nodes {
            #expect(readBack.definitions[node.invocation]?.options == original.definitions[node.invocation]?.options)
        }

        // Switch on every commented value under steps: the same graph, now with every value set.
        let uncommented = template.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            guard line.hasPrefix("    "), let mark = line.firstRange(of: "# ") else { return String(line) }
            return line.replacingCharacters(in: mark, with: "")
        }.joined(separator: "\n")
        let everyValue = try RunConfigurationFile(yaml: uncommented, path: "template.yaml").compile(pipeline)
        #expect(everyValue.graph.digest == original.graph.digest)
        #expect(everyValue.stepOverrides.count == original.graph.nodes.count)
        for node in original.graph.nodes {
            #expect(everyValue.stepOverrides[node.invocation]?.parameters.count == node.parameters.count, "\(node.invocation)")
            #expect(everyValue.definitions[node.invocation]?.options.enableCache == original.definitions[node.invocation]?.options.enableCache ?? original.options.enableCache)
        }
    }

    @Test("the template writes texts quoted, so that they read back as texts")
    func templateQuotesTexts() throws {
        let template = RunConfigurationFile.template(for: try Self.awkward.compile())
        #expect(template.contains("\n  label: \"yes\"\n"))
        #expect(template.contains("\n  nested: {\"depth\": 2, \"name\": \"null\"}\n"))
        #expect(template.contains("\n  pause:\n    enable_cache: false\n"))
        #expect(template.contains("\n      # values: [1, 2.5]\n"))
    }

    @Test("the template shows every key with its current value")
    func templateText() throws {
        let template = RunConfigurationFile.template(for: try diamond.compile())
        let limit = PipelineOptions.defaultMaxConcurrency
        #expect(template == """
            # Run configuration for pipeline 'diamond', with every key and its current value.
            # Use it with `run diamond --config FILE`. The file wins over what the code declares;
            # values given for the run (--param, --no-cache) win over the file.

            # The run name template: {pipeline}, {date} and {time} are replaced; two runs never share a name.
            run_name: "{pipeline}-{date}-{time}"

            # Whether steps may reuse outputs of earlier runs; a step's own enable_cache wins.
            enable_cache: true

            # What the run does when a step fails: fail_fast, stop_on_failure, continue_on_failure.
            execution_mode: "continue_on_failure"

            # How many steps may run at once; unset, max(32, cores + 4).
            # max_concurrency: \(limit)

            # Whether what steps log is stored with their step runs.
            enable_step_logs: true

            # Whether outputs get automatic metadata (size, count, shape, preview).
            enable_artifact_metadata: true

            # What goes into cache keys: include_step_code, include_parameters, include_artifact_values,
            # include_artifact_ids, ignored_inputs, file_dependencies, source_dependencies, expires_after.
            cache_policy: {"file_dependencies": [], "ignored_inputs": [], "include_artifact_ids": false, "include_artifact_values": true, "include_parameters": true, "include_step_code": true, "source_dependencies": []}

            # How failing steps are retried: max_retries, delay (seconds), backoff (a factor).
            # retry: {"backoff": 1, "delay": 0, "max_retries": 0}

            # Environment variables every step sees, merged into the pipeline's.
            environment: {}

            # Names of secrets every step needs, added to the pipeline's.
            secrets: []

            # Tags recorded with the run, added to the pipeline's.
            tags: []

            # Free-form values recorded with the run, merged into the pipeline's.
            extra: {}

            # Settings by stack component (orchestrator, docker, …), merged into the pipeline's.
            settings: {}

            # The model runs are linked to, by name.
            # model: ""

            # The pipeline's parameters, by name.
            parameters:
              count: 5
              crash: false
              fail: false
              pauseMilliseconds: 0

            # Per step, by invocation name: enable_cache (unset, the step follows the pipeline) and parameters,
            # which replace the values the pipeline passes to that step whatever the parameters above say. The
            # current values are commented out; uncomment those you mean to fix.
            steps:
              makeNumbers:
                # enable_cache: true
                # enable_step_logs: true
                # enable_artifact_metadata: true
                # cache_policy: {"file_dependencies": [], "ignored_inputs": [], "include_artifact_ids": false, "include_artifact_values": true, "include_parameters": true, "include_step_code": true, "source_dependencies": []}
                # retry: {"backoff": 1, "delay": 0, "max_retries": 0}
                # environment: {}
                # secrets: []
                # extra: {}
                # settings: {}
                # model: ""
                parameters:
                  # count: 5
                  # start: 1
              scale:
                # enable_cache: true
                # enable_step_logs: true
                # enable_artifact_metadata: true
                # cache_policy: {"file_dependencies": [], "ignored_inputs": [], "include_artifact_ids": false, "include_artifact_values": true, "include_parameters": true, "include_step_code": true, "source_dependencies": []}
                # retry: {"backoff": 1, "delay": 0, "max_retries": 0}
                # environment: {}
                # secrets: []
                # extra: {}
                # settings: {}
                # model: ""
                parameters:
                  # factor: 2
                  # pauseMilliseconds: 0
              scale_2:
                # enable_cache: true
                # enable_step_logs: true
                # enable_artifact_metadata: true
                # cache_policy: {"file_dependencies": [], "ignored_inputs": [], "include_artifact_ids": false, "include_artifact_values": true, "include_parameters": true, "include_step_code": true, "source_dependencies": []}
                # retry: {"backoff": 1, "delay": 0, "max_retries": 0}
                # environment: {}
                # secrets: []
                # extra: {}
                # settings: {}
                # model: ""
                parameters:
                  # factor: 3
                  # pauseMilliseconds: 0
              summarise:
                # enable_cache: true
                # enable_step_logs: true
                # enable_artifact_metadata: true
                # cache_policy: {"file_dependencies": [], "ignored_inputs": [], "include_artifact_ids": false, "include_artifact_values": true, "include_parameters": true, "include_step_code": true, "source_dependencies": []}
                # retry: {"backoff": 1, "delay": 0, "max_retries": 0}
                # environment: {}
                # secrets: []
                # extra: {}
                # settings: {}
                # model: ""
                parameters:
                  # label: "branch"
              describe:
                # enable_cache: true
                # enable_step_logs: true
                # enable_artifact_metadata: true
                # cache_policy: {"file_dependencies": [], "ignored_inputs": [], "include_artifact_ids": false, "include_artifact_values": true, "include_parameters": true, "include_step_code": true, "source_dependencies": []}
                # retry: {"backoff": 1, "delay": 0, "max_retries": 0}
                # environment: {}
                # secrets: []
                # extra: {}
                # settings: {}
                # model: ""
                parameters: {}
              crashIf:
                # enable_cache: true
                # enable_step_logs: true
                # enable_artifact_metadata: true
                # cache_policy: {"file_dependencies": [], "ignored_inputs": [], "include_artifact_ids": false, "include_artifact_values": true, "include_parameters": true, "include_step_code": true, "source_dependencies": []}
                # retry: {"backoff": 1, "delay": 0, "max_retries": 0}
                # environment: {}
                # secrets: []
                # extra: {}
                # settings: {}
                # model: ""
                parameters:
                  # crash: false
              check:
                # enable_cache: true
                # enable_step_logs: true
                # enable_artifact_metadata: true
                # cache_policy: {"file_dependencies": [], "ignored_inputs": [], "include_artifact_ids": false, "include_artifact_values": true, "include_parameters": true, "include_step_code": true, "source_dependencies": []}
                # retry: {"backoff": 1, "delay": 0, "max_retries": 0}
                # environment: {}
                # secrets: []
                # extra: {}
                # settings: {}
                # model: ""
                parameters:
                  # fail: false

            """)
    }

    @Test("config template on the command line prints the template")
    func templateCommand() async throws {
        let (status, output) = try await FixtureExecutable.run(["config", "template", "diamond"])
        #expect(status == 0)
        #expect(output == RunConfigurationFile.template(for: try diamond.compile()))
    }
}

/// Parameters whose values YAML could misread if they were written carelessly.
struct AwkwardParameters: Codable, Sendable {
    struct Nested: Codable, Sendable {
        var name = "null"
        var depth = 2
    }

    var label = "yes"
    var weights = [0.5, 1.5]
    var nested = Nested()
}
