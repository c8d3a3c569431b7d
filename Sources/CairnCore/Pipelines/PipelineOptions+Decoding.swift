// Options are recorded with every run. A field added in a later version is missing from older
// records, so decoding takes each field's default when it is absent.

extension PipelineOptions {
    enum CodingKeys: String, CodingKey {
        case runNameTemplate, runNameSubstitutions, enableCache, cachePolicy, environment, secrets, retry, enableStepLogs
        case enableArtifactMetadata, executionMode, maxConcurrency, tags, extra, settings, model
    }

    /// Decodes options, taking the default of each field a record lacks.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = PipelineOptions()
        self.init(
            runNameTemplate: try container.decodeIfPresent(String.self, forKey: .runNameTemplate) ?? defaults.runNameTemplate,
            runNameSubstitutions: try container.decodeIfPresent([String: String].self, forKey: .runNameSubstitutions) ?? [:],
            enableCache: try container.decodeIfPresent(Bool.self, forKey: .enableCache) ?? defaults.enableCache,
            cachePolicy: try container.decodeIfPresent(CachePolicy.self, forKey: .cachePolicy) ?? defaults.cachePolicy,
            environment: try container.decodeIfPresent([String: String].self, forKey: .environment) ?? [:],
            secrets: try container.decodeIfPresent([String].self, forKey: .secrets) ?? [],
            retry: try container.decodeIfPresent(RetryPolicy.self, forKey: .retry),
            enableStepLogs: try container.decodeIfPresent(Bool.self, forKey: .enableStepLogs) ?? defaults.enableStepLogs,
            enableArtifactMetadata: try container.decodeIfPresent(Bool.self, forKey: .enableArtifactMetadata) ?? defaults.enableArtifactMetadata,
            executionMode: try container.decodeIfPresent(ExecutionMode.self, forKey: .executionMode) ?? defaults.executionMode,
            maxConcurrency: try container.decodeIfPresent(Int.self, forKey: .maxConcurrency),
            tags: try container.decodeIfPresent([String].self, forKey: .tags) ?? [],
            extra: try container.decodeIfPresent([String: JSONValue].self, forKey: .extra) ?? [:],
            settings: try container.decodeIfPresent([String: JSONValue].self, forKey: .settings) ?? [:],
            model: try container.decodeIfPresent(String.self, forKey: .model))
    }
}

extension CachePolicy {
    /// Decodes a policy, taking the default of each field a record lacks.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = CachePolicy()
        self.init(
            includeStepCode: try container.decodeIfPresent(Bool.self, forKey: .includeStepCode) ?? defaults.includeStepCode,
            includeParameters: try container.decodeIfPresent(Bool.self, forKey: .includeParameters) ?? defaults.includeParameters,
            includeArtifactValues: try container.decodeIfPresent(Bool.self, forKey: .includeArtifactValues) ?? defaults.includeArtifactValues,
            includeArtifactIDs: try container.decodeIfPresent(Bool.self, forKey: .includeArtifactIDs) ?? defaults.includeArtifactIDs,
            ignoredInputs: try container.decodeIfPresent([String].self, forKey: .ignoredInputs) ?? [],
            fileDependencies: try container.decodeIfPresent([String].self, forKey: .fileDependencies) ?? [],
            sourceDependencies: try container.decodeIfPresent([String].self, forKey: .sourceDependencies) ?? [],
            expiresAfter: try Seconds.decode(.expiresAfter, from: container))
    }

    // What the synthesized conformance wrote, but for the expiry, which stays a number of seconds.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(includeStepCode, forKey: .includeStepCode)
        try container.encode(includeParameters, forKey: .includeParameters)
        try container.encode(includeArtifactValues, forKey: .includeArtifactValues)
        try container.encode(includeArtifactIDs, forKey: .includeArtifactIDs)
        try container.encode(ignoredInputs, forKey: .ignoredInputs)
        try container.encode(fileDependencies, forKey: .fileDependencies)
        try container.encode(sourceDependencies, forKey: .sourceDependencies)
        try container.encodeIfPresent(expiresAfter.map(Seconds.of), forKey: .expiresAfter)
    }
}
