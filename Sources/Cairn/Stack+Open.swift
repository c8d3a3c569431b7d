import CairnPostgres
public import CairnRuntime
public import Foundation

extension Stack {
    /// Opens the components that `configuration` describes.
    ///
    /// ```swift
    /// let stack = try await Stack.open(StackSelection.resolve(name: "team"))
    /// try await training.run(on: stack)
    /// ```
    ///
    /// - Parameters:
    ///   - configuration: The stack's description, from a stack file, from ``StackSelection``, or as
    ///     another process passed it.
    ///   - creating: Whether a store that does not exist yet is created, and one of an older schema
    ///     migrated: true for what runs pipelines, false for what only reads or resumes, which refuses
    ///     such a store and writes nothing.
    ///   - environment: Where passwords are read from.
    /// - Throws: `CairnError.store(_:)` naming the stack, the component and the problem.
    public static func open(
        _ configuration: StackConfiguration, creating: Bool = true, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> Stack {
        if configuration.name == StackConfiguration.localName, case .sqlite(let path) = configuration.metadataStore {
            // The local stack's folder, named by --store or $CAIRN_HOME or found: mistakes are about that folder.
            let home = URL(filePath: path).deletingLastPathComponent()
            try LocalStoreFiles.refuseUnusable(home)
            if !creating, !FileManager.default.fileExists(atPath: path) {
                throw CairnError.store("there is no Cairn store in \(home.path); give the folder runs were recorded in with --store or $CAIRN_HOME")
            }
        }
        let metadata = try await component(.metadataStore, of: configuration) {
            // The local stack's folder was checked whole above.
            if configuration.name != StackConfiguration.localName, case .sqlite(let path) = configuration.metadataStore,
                case .local(let artifacts) = configuration.artifactStore
            {
                try LocalStoreFiles.refuseLostRecords(metadataPath: path, artifactsFolder: URL(filePath: artifacts))
            }
            return try await openMetadataStore(configuration.metadataStore, creating: creating, environment: environment)
        }
        let artifacts = try await component(.artifactStore, of: configuration) {
            try openArtifactStore(configuration.artifactStore, creating: creating)
        }
        let orchestrator = makeOrchestrator(configuration.orchestrator)
        return Stack(metadata: metadata, artifacts: artifacts, orchestrator: orchestrator, configuration: configuration)
    }

    /// A stack's components, by what they are.
    public enum Component: String, Sendable, CaseIterable, Codable {
        case metadataStore = "metadata store"
        case artifactStore = "artifact store"
        case orchestrator
    }

    /// How one component of a stack fared when ``validate(_:environment:)`` tried it.
    public struct ComponentCheck: Sendable, Codable, Equatable {
        /// The component.
        public var component: Component
        /// Its flavor and where it is.
        public var description: String
        /// What is wrong; `nil` when it works.
        public var problem: String?
    }

    /// Tries each component of `configuration` without creating or changing anything: the metadata
    /// store is opened and read, the artifact folder is written to and read back, the
    /// orchestrator's executable is looked for.
    public static func validate(
        _ configuration: StackConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async -> [ComponentCheck] {
        func check(_ component: Component, _ description: String, _ body: () async throws -> Void) async -> ComponentCheck {
            do {
                try await body()
                return ComponentCheck(component: component, description: description, problem: nil)
            } catch {
                return ComponentCheck(component: component, description: description, problem: "\(error)")
            }
        }
        let metadata = configuration.metadataStore
        let artifacts = configuration.artifactStore
        return [
            await check(.metadataStore, metadata.summary) {
                let store = try await openMetadataStore(metadata, creating: false, environment: environment)
                _ = try await store.runs(RunQuery(limit: 1))
            },
            await check(.artifactStore, artifacts.summary) {
                let store = try openArtifactStore(artifacts, creating: false)
                let probe = try await store.store { try $0.write(Data("cairn stack validate\n".utf8)) }
                _ = try await store.load(probe.digest) { try $0.readToEnd() }
            },
            await check(.orchestrator, configuration.orchestrator.flavor) {
                if let subprocess = makeOrchestrator(configuration.orchestrator) as? SubprocessOrchestrator,
                    !FileManager.default.isExecutableFile(atPath: subprocess.executable)
                {
                    throw CairnError.store("\(subprocess.executable) is not an executable file")
                }
            },
        ]
    }

    /// Runs `body`, naming the stack and the component in what it throws.
    private static func component<T>(_ component: Component, of configuration: StackConfiguration, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            let description: String =
                switch component {
                case .metadataStore: "\(configuration.metadataStore.flavor), \(configuration.metadataStore.location)"
                case .artifactStore: "\(configuration.artifactStore.flavor), \(configuration.artifactStore.location)"
                case .orchestrator: configuration.orchestrator.flavor
                }
            throw CairnError.store("stack '\(configuration.name)': \(component.rawValue) (\(description)): \(error)")
        }
    }

    private static func openMetadataStore(
        _ store: MetadataStoreConfiguration, creating: Bool, environment: [String: String]
    ) async throws -> any MetadataStore {
        switch store {
        case .sqlite(let path):
            if creating { return try SQLiteMetadataStore(path: path) }
            guard FileManager.default.fileExists(atPath: path) else {
                throw CairnError.store("there is no store there yet; a run on this stack creates it")
            }
            return try SQLiteMetadataStore(existingAt: path)
        case .postgresql(let connection):
            return try await PostgreSQLMetadataStore.open(
                PostgreSQLMetadataStore.Configuration(
                    host: connection.host, port: connection.port, database: connection.database, user: connection.user,
                    password: try connection.password(in: environment), schema: connection.schema, tls: connection.tls,
                    tlsRootCertificates: connection.tlsRootCertificates),
                migrating: creating)
        }
    }

    private static func openArtifactStore(_ store: ArtifactStoreConfiguration, creating: Bool) throws -> any ArtifactStore {
        switch store {
        case .local(let path):
            if !creating, !FileManager.default.fileExists(atPath: path) {
                throw CairnError.store("the folder does not exist; a run on this stack creates it")
            }
            return try LocalArtifactStore(root: URL(filePath: path))
        }
    }

    private static func makeOrchestrator(_ orchestrator: OrchestratorConfiguration) -> any Orchestrator {
        switch orchestrator {
        case .inProcess: InProcessOrchestrator()
        case .subprocess(let executable): SubprocessOrchestrator(executable: executable ?? SubprocessOrchestrator.currentExecutable)
        }
    }
}
