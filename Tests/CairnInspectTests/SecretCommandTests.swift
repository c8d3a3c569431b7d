import Cairn
import CairnCore
import CairnInspect
import CairnTesting
import Foundation
import Testing

@Suite("cairn secret", .timeLimit(.minutes(1)))
struct SecretCommandTests {
    /// Runs `cairn ARGUMENTS --store HOME` in this process, with `input` as standard input.
    func secret(_ arguments: [String], store: TemporaryStore, input: [String] = []) async -> CommandOutput {
        let lines = Locked(input)
        let recorder = ConsoleRecorder()
        let printing = recorder.console()
        let console = Console(
            usesColor: false, showsUTC: true, columns: 100, isInteractive: false, writeOutput: printing.writeOutput, writeError: printing.writeError,
            readLine: { lines.withLock { $0.isEmpty ? nil : $0.removeFirst() } })
        let status = await CairnCommand.run(["secret"] + arguments + ["--store", store.home.path], console: console)
        return CommandOutput(status: status, output: recorder.output, error: recorder.error)
    }

    @Test("create from arguments, a .env file, a YAML file and standard input; list and get show keys, not values")
    func createListGet() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let env = store.home.appending(path: "aws.env")
        try "# AWS\nexport access_key_id=AKIA-env\nsecret_access_key='quoted value'\n".write(to: env, atomically: true, encoding: .utf8)
        let yaml = store.home.appending(path: "db.yaml")
        try "user: cairn\npassword: \"from-yaml\"\n".write(to: yaml, atomically: true, encoding: .utf8)

        var result = await secret(["create", "api_keys", "token=from-args", "region=eu"], store: store)
        #expect(result.status == 0 && result.output == "Created secret 'api_keys' with keys region, token.\n", "\(result.error)")
        result = await secret(["create", "aws", "--from-file", env.path], store: store)
        #expect(result.output == "Created secret 'aws' with keys access_key_id, secret_access_key.\n", "\(result.error)")
        result = await secret(["create", "db", "--from-file", yaml.path], store: store)
        #expect(result.output == "Created secret 'db' with keys password, user.\n", "\(result.error)")
        result = await secret(["create", "piped", "--stdin"], store: store, input: ["first=from-stdin", "", "second = spaced "])
        #expect(result.output == "Created secret 'piped' with keys first, second.\n", "\(result.error)")
        #expect(try await store.stack.secrets.values(of: "aws") == ["access_key_id": "AKIA-env", "secret_access_key": "quoted value"])
        #expect(try await store.stack.secrets.values(of: "db") == ["user": "cairn", "password": "from-yaml"])
        #expect(try await store.stack.secrets.values(of: "piped") == ["first": "from-stdin", "second": "spaced"])

        let listed = await secret(["list"], store: store)
        let lines = listed.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "SECRET    KEYS                              VERSION  UPDATED")
        // Each line without its date, the last 19 characters.
        #expect(lines.dropFirst().map { String($0.dropLast(19)) } == [
            "api_keys  region, token                           1  ",
            "aws       access_key_id, secret_access_key        1  ",
            "db        password, user                          1  ",
            "piped     first, second                           1  ",
        ], "\(listed.output)")
        for value in ["from-args", "AKIA-env", "quoted value", "from-yaml", "from-stdin"] { #expect(!listed.output.contains(value)) }

        let hidden = await secret(["get", "api_keys"], store: store)
        let keyID = try await store.stack.secrets.summary(of: "api_keys").masterKeyID
        #expect(hidden.output == """
            Secret 'api_keys', version 1, master key '\(keyID)':
            KEY     VALUE
            region  ****
            token   ****

            """)
        let revealed = await secret(["get", "api_keys", "--reveal", "--json"], store: store)
        let json = try JSONSerialization.jsonObject(with: Data(revealed.output.utf8)) as? [String: Any]
        #expect(json?["values"] as? [String: String] == ["region": "eu", "token": "from-args"])
    }

    @Test("update sets and removes keys as a new version; delete asks, or takes --yes; rotate-key re-wraps every secret")
    func updateDeleteRotate() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        _ = await secret(["create", "api_keys", "token=one", "old=gone"], store: store)
        var result = await secret(["update", "api_keys", "token=two", "--remove-key", "old"], store: store)
        #expect(result.output == "Updated secret 'api_keys' to version 2: keys token.\n", "\(result.error)")
        #expect(try await store.stack.secrets.values(of: "api_keys") == ["token": "two"])
        result = await secret(["update", "api_keys"], store: store)
        #expect(result.status == 1 && result.error.hasPrefix("Error: nothing to update"))
        result = await secret(["update", "api_keys", "--remove-key", "nope"], store: store)
        #expect(result.status == 1 && result.error.contains("no key in secret 'api_keys' named 'nope'"), "\(result.error)")

        let before = try await store.stack.secrets.summary(of: "api_keys").masterKeyID
        result = await secret(["rotate-key"], store: store)
        let after = try await store.stack.secrets.summary(of: "api_keys").masterKeyID
        #expect(after != before && result.output.hasPrefix("Re-wrapped 1 secret with master key '\(after)' (was \(before))."), "\(result.error)")
        #expect(try await store.stack.secrets.values(of: "api_keys") == ["token": "two"])

        result = await secret(["delete", "api_keys"], store: store)
        #expect(result.status == 1 && result.error.contains("Add --yes: cairn secret delete api_keys --yes"))
        result = await secret(["delete", "api_keys", "--yes"], store: store)
        #expect(result.output == "Deleted secret 'api_keys'.\n")
        result = await secret(["get", "api_keys"], store: store)
        #expect(result.status == 1 && result.error.hasPrefix("Error: no secret named 'api_keys'"), "\(result.error)")
    }

    @Test("a value typed without its key is refused without being repeated; a missing key file is named")
    func mistakes() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        var result = await secret(["create", "api", "s3cr3t-typed-alone"], store: store)
        #expect(result.status == 1 && !result.error.contains("s3cr3t-typed-alone") && result.error.contains("not KEY=VALUE"), "\(result.error)")
        _ = await secret(["create", "api", "token=t"], store: store)
        try FileManager.default.removeItem(at: store.home.appending(path: "secrets.key"))
        result = await secret(["get", "api"], store: store)
        #expect(result.status == 1 && result.error.contains("there is no key file at \(store.home.appending(path: "secrets.key").path)"), "\(result.error)")
        result = await secret(["list"], store: store)
        #expect(result.status == 0 && result.output.contains("api"))
    }
}
