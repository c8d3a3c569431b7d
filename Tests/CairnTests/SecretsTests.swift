import Cairn
import CairnFixturePipelines
import CairnPostgres
import CairnTesting
import Crypto
import CairnCore
import Foundation
import Testing

/// Secrets: encrypted at rest, refused when anything about their row or key is wrong, given to the
/// steps that name them, and never stored or shown in the clear.
@Suite("Secrets", .timeLimit(.minutes(3)))
struct SecretsTests {
    /// A value to look for: nothing like it is anywhere by chance.
    static func plaintext() -> String { "plaintext-\(UUID().uuidString)" }

    /// A keyring with one fixed-byte key.
    static func keyring(_ id: String, byte: UInt8) -> MasterKeyring {
        MasterKeyring(current: MasterKey(id: id, key: SymmetricKey(data: Data(repeating: byte, count: 32))))
    }

    // MARK: - Refusals

    @Test("a wrong key, a missing key, a tampered ciphertext or key list and a swapped row are each refused", arguments: StoreKind.allCases)
    func refusals(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        let secrets = Secrets(store: store, keys: .keys(Self.keyring("k1", byte: 1)))
        let value = Self.plaintext()
        try await secrets.create("api", values: ["token": value])
        try await secrets.create("db", values: ["password": Self.plaintext()])
        #expect(try await secrets.values(of: "api") == ["token": value])

        let wrong = Secrets(store: store, keys: .keys(Self.keyring("k1", byte: 2)))
        await #expect(throws: SecretError.undecryptable(secret: "api", keyID: "k1")) { try await wrong.values(of: "api") }
        let other = Secrets(store: store, keys: .keys(Self.keyring("k2", byte: 1)))
        await #expect(throws: SecretError.unknownMasterKey(secret: "api", keyID: "k1", known: ["k2"])) { try await other.values(of: "api") }
        let none = Secrets(store: store, keys: .missing(reason: "none configured"))
        await #expect(throws: SecretError.noMasterKey(reason: "none configured")) { try await none.values(of: "api") }
        await #expect(throws: SecretError.noMasterKey(reason: "none configured")) { try await none.create("more", values: ["a": "b"]) }

        let original = try #require(try await store.secret(named: "api"))
        func tampered(_ change: (inout EncryptedSecret) -> Void) async throws {
            var row = original
            change(&row)
            let current = try #require(try await store.secret(named: "api"))
            #expect(try await store.replaceSecret(row, ifStill: current))
            await #expect(throws: SecretError.undecryptable(secret: "api", keyID: "k1")) { try await secrets.values(of: "api") }
        }
        try await tampered { $0.ciphertext[$0.ciphertext.startIndex + 20] ^= 1 }
        try await tampered { $0.wrappedKey[$0.wrappedKey.startIndex + 14] ^= 1 }
        try await tampered { $0.keys = ["password"] }
        // The other secret's row, named as this one: its associated data names the other secret.
        let swapped = try #require(try await store.secret(named: "db"))
        try await tampered { $0 = swapped; $0.name = "api" }
        // Put back as it was, it opens again: the refusals were about the changes.
        #expect(try await store.replaceSecret(original, ifStill: try #require(try await store.secret(named: "api"))))
        #expect(try await secrets.values(of: "api") == ["token": value])
    }

    @Test("secret names and keys are checked; a secret missing from the store is named, with the closest name")
    func names() async throws {
        let (store, cleanup) = try await makeStore(.sqlite)
        defer { cleanup() }
        let secrets = Secrets(store: store, keys: .keys(Self.keyring("k1", byte: 1)))
        await #expect(throws: CairnError.self) { try await secrets.create("../escape", values: ["a": "b"]) }
        await #expect(throws: SecretError.invalidKey(secret: "api", key: "1st")) { try await secrets.create("api", values: ["1st": "b"]) }
        await #expect(throws: SecretError.empty("api")) { try await secrets.create("api", values: [:]) }
        try await secrets.create("api_keys", values: ["token": "t"])
        await #expect(throws: SecretError.exists("api_keys")) { try await secrets.create("api_keys", values: ["token": "u"]) }
        await #expect(throws: SecretError.notFound("api_key", suggestion: "api_keys")) { try await secrets.values(of: "api_key") }
        await #expect(throws: SecretError.notFound("api_key", suggestion: "api_keys")) { try await secrets.delete("api_key") }
    }

    // MARK: - Master keys

    @Test("the key file is made with mode 0600 only when a secret is stored, and refused once others can read it")
    func keyFile() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let path = store.home.appending(path: "secrets.key").path
        #expect(store.stack.secretKeySource == .file(path: path))
        let secrets = store.stack.secrets
        await #expect(throws: SecretError.self) { try await secrets.values(of: "api") }
        #expect(!FileManager.default.fileExists(atPath: path))
        try await secrets.create("api", values: ["token": "t"])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let keyring = try MasterKeyring(parsing: String(contentsOfFile: path, encoding: .utf8), source: path)
        #expect(try await store.stack.metadata.secret(named: "api")?.masterKeyID == keyring.current.id)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let error = await #expect(throws: SecretError.self) { try await secrets.values(of: "api") }
        #expect("\(error!)" == "no master key for secrets: the key file \(path) can be read by other users (mode 644); make it private with `chmod 600 \(path)`")
    }

    @Test("$CAIRN_SECRETS_KEY wins over a key file; a team stack in PostgreSQL has no key unless one is configured")
    func keySources() async throws {
        let local = StackConfiguration.local(home: URL(filePath: "/data/.cairn"))
        #expect(SecretKeySource.forStack(local, environment: [:]) == .file(path: "/data/.cairn/secrets.key"))
        #expect(SecretKeySource.forStack(local, environment: ["CAIRN_SECRETS_KEY": "k1:…"]) == .environment(variable: "CAIRN_SECRETS_KEY"))
        #expect(SecretKeySource.forStack(local, environment: ["CAIRN_SECRETS_KEY_FILE": "/keys/cairn"]) == .file(path: "/keys/cairn"))
        let team = StackConfiguration(
            name: "team", metadataStore: .postgresql(PostgreSQLConnection(host: "db", database: "cairn", user: "cairn")),
            artifactStore: .local(path: "/shared"))
        guard case .missing(let reason) = SecretKeySource.forStack(team, environment: [:]) else {
            Issue.record("a team stack has a key without one configured")
            return
        }
        #expect(reason.hasPrefix("stack 'team' is shared in PostgreSQL"))
        #expect(SecretKeySource.forStack(team, environment: ["CAIRN_SECRETS_KEY": "k1:…"]) == .environment(variable: "CAIRN_SECRETS_KEY"))
        if case .missing = SecretKeySource.forStack(nil, environment: [:]) {} else { Issue.record("a stack made in code has a key of its own") }
        #expect(throws: SecretError.invalidMasterKey(source: "$X", reason: "key 'k1' is not 32 bytes in base64 (make one with `openssl rand -base64 32`)")) {
            try MasterKeyring(parsing: "k1:c2hvcnQ=", source: "$X")
        }
        if PostgreSQLTestServer.canRun {
            let store = try await PostgreSQLTestServer.shared().makeStore()
            let secrets = Secrets(store: store, keys: .forStack(team, environment: [:]))
            await #expect(throws: SecretError.self) { try await secrets.create("api", values: ["token": "t"]) }
            #expect(try await store.secrets().isEmpty)
            await store.close()
        }
    }

    @Test("rotating the key file's key re-wraps every secret; the old key then opens none, and values are unchanged")
    func rotation() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let secrets = store.stack.secrets
        for name in ["a", "b", "c"] { try await secrets.create(name, values: ["value": "of-\(name)"]) }
        let path = store.home.appending(path: "secrets.key").path
        let old = try MasterKeyring(parsing: String(contentsOfFile: path, encoding: .utf8), source: path)
        let rotation = try await secrets.rotateKey()
        #expect(rotation.rewrapped == 3 && rotation.previousKeyIDs == [old.current.id] && rotation.keyID != old.current.id)
        let new = try MasterKeyring(parsing: String(contentsOfFile: path, encoding: .utf8), source: path)
        #expect(new.all.map(\.id) == [rotation.keyID])
        #expect(try await store.stack.metadata.secrets().allSatisfy { $0.masterKeyID == rotation.keyID })
        for name in ["a", "b", "c"] { #expect(try await secrets.values(of: name) == ["value": "of-\(name)"]) }
        await #expect(throws: SecretError.self) { try await Secrets(store: store.stack.metadata, keys: .keys(old)).values(of: "a") }
        // Keys from the environment cannot be changed here: the new key must be given.
        let fixed = Secrets(store: store.stack.metadata, keys: .keys(new))
        await #expect(throws: SecretError.self) { try await fixed.rotateKey() }
        let given = try await fixed.rotateKey(to: MasterKey.generate())
        #expect(given.rewrapped == 3)
    }

    // MARK: - Pipelines

    @Test("a step receives its secret's keys, upper-cased, through its context; the log, metadata and configuration hold ****")
    func inProcess() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let value = Self.plaintext()
        try await store.stack.secrets.create("api_keys", values: ["token": value])
        let result = try await FixturePipelines.secrets.run(on: store.stack)
        #expect(try await result.output("seen", as: String.self) == "context=set process=unset length=\(value.count)")
        let step = try #require(try await result.steps.first)
        let log = try #require(try await store.stack.log(of: step))
        #expect(log.contains("the secret is ****") && !log.contains(value))
        #expect(try await store.stack.metadata.metadata(of: .stepRun(id: step.id))["seen"] == .string("****"))
        #expect(result.run.configuration.contains("api_keys") && !result.run.configuration.contains(value))

        // Names, not values, are in the cache key: a new value reuses the step.
        try await store.stack.secrets.update("api_keys", setting: ["token": Self.plaintext()])
        let again = try await FixturePipelines.secrets.run(on: store.stack)
        #expect(try await again.steps.first?.status == .cached)
    }

    @Test("an error a step throws with a secret's value in it is recorded, and thrown, with ****")
    func errors() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let value = Self.plaintext()
        try await store.stack.secrets.create("api_keys", values: ["token": value])
        let leak = ClosureStep<String, String>("leak", inputs: ["key"], options: StepOptions(secrets: ["api_keys"])) { key in
            throw CairnError.store("cannot connect with \(StepContext.current?.environment[key] ?? "nothing")")
        }
        let pipeline = Pipeline("leaky") { _ = leak(.constant("TOKEN")) }
        let error = await #expect(throws: CairnError.self) { try await pipeline.run(on: store.stack) }
        #expect("\(error!)".contains("cannot connect with ****") && !"\(error!)".contains(value), "\(error!)")
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        let step = try #require(try await store.stack.metadata.stepRuns(runID: run.id).first)
        #expect(step.error?.contains("cannot connect with ****") == true && run.error?.contains(value) == false, "\(step.error ?? "")")
    }

    @Test("a dynamic pipeline's step reads the secret it names when it is called; a missing one fails that step, naming both")
    func dynamic() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        try await store.stack.secrets.create("api_keys", values: ["token": "dynamic-value"])
        let pipeline = DynamicPipeline("dynamic_secrets") {
            return ["seen": revealSecretStep.withOptions { $0.secrets = ["api_keys"] }(key: "TOKEN")]
        }
        let result = try await PipelineRunner(stack: store.stack).run(pipeline)
        #expect(try await result.output("seen", as: String.self) == "context=set process=unset length=13")
        let missing = DynamicPipeline("dynamic_missing") {
            return ["seen": revealSecretStep.withOptions { $0.secrets = ["absent"] }.named("without")(key: "TOKEN")]
        }
        let failedRun = try await PipelineRunner(stack: store.stack).run(missing)
        let failed = try #require(try await failedRun.step("without"))
        #expect(failed.status == .failed)
        #expect(failed.error?.hasPrefix("step 'without' needs secret 'absent', which cannot be read: no secret named 'absent'") == true, "\(failed.error ?? "")")
    }

    @Test("a missing secret, or a missing master key, fails the run before anything is recorded, naming the secret and the step")
    func missing() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let error = await #expect(throws: SecretError.self) { try await FixturePipelines.secrets.run(on: store.stack) }
        #expect("\(error!)".hasPrefix("step 'revealSecret' needs secret 'api_keys', which cannot be read: "))
        try await store.stack.secrets.create("api_keys", values: ["token": "t"])
        var keyless = store.stack
        keyless.secretKeys = .missing(reason: "none here")
        let unkeyed = await #expect(throws: SecretError.self) { try await FixturePipelines.secrets.run(on: keyless) }
        #expect("\(unkeyed!)" == "step 'revealSecret' needs secret 'api_keys', which cannot be read: no master key for secrets: none here")
        #expect(try await store.stack.metadata.runs(RunQuery()).isEmpty)
    }

    @Test("a step process gets the values in its real environment, not its command line; nothing under the store, nor the CLI, shows them")
    func nothingStored() async throws {
        let store = try TemporaryStore(orchestrator: SubprocessOrchestrator(executable: FixtureExecutable.path))
        defer { store.remove() }
        let value = Self.plaintext()
        try await store.stack.secrets.create("api_keys", values: ["token": value])
        let result = try await FixturePipelines.secrets.run(on: store.stack)
        #expect(try await result.output("seen", as: String.self) == "context=set process=set length=\(value.count)")
        let step = try #require(try await result.steps.first)
        let log = try #require(try await store.stack.log(of: step))
        #expect(log.contains("the secret is ****\n") && log.contains("standard output and error of the step process"))

        let cairn = URL(filePath: FixtureExecutable.path).deletingLastPathComponent().appending(path: "cairn").path
        var printed = ""
        for arguments in [
            ["runs", "show", result.run.name], ["runs", "show", result.run.name, "--json"], ["steps", "logs", result.run.name, "revealSecret"],
            ["secret", "list"], ["secret", "get", "api_keys"], ["secret", "get", "api_keys", "--json"], ["artifact", "list"],
        ] {
            let (status, output) = try await ChildProcess.run(cairn, arguments + ["--store", store.home.path])
            #expect(status == 0, "\(arguments): \(output)")
            printed += output
        }
        #expect(printed.contains("TOKEN") || printed.contains("token"))
        #expect(!printed.contains(value))
        // The search can fail: the value is there to be found when it is asked for.
        let revealed = try await ChildProcess.run(cairn, ["secret", "get", "api_keys", "--reveal", "--store", store.home.path])
        #expect(revealed.output.contains(value))

        let files = try Self.files(under: store.home)
        #expect(files.contains { $0.hasSuffix("metadata.sqlite-wal") } && files.contains { $0.contains("/artifacts/objects/") })
        let bytes = try files.map { try Data(contentsOf: URL(filePath: $0)) }
        #expect(bytes.contains { $0.range(of: Data("api_keys".utf8)) != nil })
        for (file, contents) in zip(files, bytes) {
            #expect(contents.range(of: Data(value.utf8)) == nil, "\(file) holds the secret's value")
        }
    }

    @Test("a PostgreSQL store's dump holds neither the value nor its hexadecimal form")
    func postgresDump() async throws {
        guard PostgreSQLTestServer.canRun else { return }
        let server = try await PostgreSQLTestServer.shared()
        let schema = "secrets_\(UUID().uuidString.prefix(8).lowercased())"
        let store = try await server.makeStore(schema: schema)
        let artifacts = FileManager.default.temporaryDirectory.appending(path: "cairn-artifacts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: artifacts) }
        var stack = Stack(metadata: store, artifacts: try LocalArtifactStore(root: artifacts), orchestrator: InProcessOrchestrator())
        stack.secretKeys = .keys(Self.keyring("team-1", byte: 9))
        let value = Self.plaintext()
        try await stack.secrets.create("api_keys", values: ["token": value])
        let result = try await FixturePipelines.secrets.run(on: stack)
        #expect(try await result.output("seen", as: String.self) == "context=set process=unset length=\(value.count)")
        await store.close()

        let pgDump = try #require(PostgreSQLTestServer.installedBinaries).appending(path: "pg_dump").path
        let (status, dump) = try await SpawnedProcess.run(
            [pgDump, "-h", server.host, "-p", "\(server.port)", "-U", server.user, "-d", "postgres", "-n", schema], environment: ["PGPASSWORD": server.password])
        #expect(status == 0, "\(dump)")
        #expect(dump.contains("api_keys") && dump.contains("CREATE TABLE \(schema).secret"))
        #expect(!dump.contains(value) && !dump.contains(Array(value.utf8).hexString))
    }

    @Test("two processes updating one secret leave it whole: every version is one writer's, none a mix")
    func twoProcesses() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        try await store.stack.secrets.create("shared", values: ["first": "start", "second": "start"])
        let cairn = URL(filePath: FixtureExecutable.path).deletingLastPathComponent().appending(path: "cairn").path
        for round in 1...5 {
            let outcomes = try await Self.race(cairn, ["secret", "update", "shared", "--stdin", "--store", store.home.path]) { side in
                "first=\(side)-\(round)\nsecond=\(side)-\(round)\n"
            }
            for (status, output) in outcomes { #expect(status == 0, "\(output)") }
            let values = try await store.stack.secrets.values(of: "shared")
            #expect(values["first"] == values["second"] && ["left-\(round)", "right-\(round)"].contains(values["first"]!), "\(values)")
            #expect(try await store.stack.secrets.summary(of: "shared").version == 1 + 2 * round)
        }
    }

    /// Starts two processes, `left` and `right`, of `executable` with `arguments`, whose standard
    /// input is a pipe this test holds, so that both wait there; then writes each its `input` and
    /// closes the pipes, so that both go at once. Waits on a thread of its own (see ``OwnThread``).
    static func race(_ executable: String, _ arguments: [String], input: @escaping @Sendable (String) -> String) async throws -> [(Int32, String)] {
        try await OwnThread.run {
            let sides = ["left", "right"]
            let started = try sides.map { _ in
                let process = Process()
                process.executableURL = URL(filePath: executable)
                process.arguments = arguments
                let (stdin, stdout) = (Pipe(), Pipe())
                process.standardInput = stdin
                process.standardOutput = stdout
                process.standardError = stdout
                try process.run()
                return (process, stdin.fileHandleForWriting, stdout.fileHandleForReading)
            }
            for ((_, stdin, _), side) in zip(started, sides) {
                stdin.write(Data(input(side).utf8))
                try stdin.close()
            }
            return started.map { process, _, stdout in
                let printed = String(decoding: stdout.readAllBytes(), as: UTF8.self)
                process.waitUntilExit()
                return (process.terminationStatus, printed)
            }
        }
    }

    /// Every regular file under `folder`, recursively.
    static func files(under folder: URL) throws -> [String] {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        return (enumerator?.allObjects as? [URL] ?? []).filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .map(\.path)
    }
}
