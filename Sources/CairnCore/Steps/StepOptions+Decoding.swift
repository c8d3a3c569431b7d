// Step options are recorded with runs (in per-step overrides). A field added in a later version is
// missing from older records, so decoding takes each field's default when it is absent.

extension StepOptions {
    enum CodingKeys: String, CodingKey {
        case enableCache, cachePolicy, environment, secrets, retry, enableStepLogs, enableArtifactMetadata, extra, settings, model
        case artifactNames
    }

    /// Decodes options, taking the default of each field a record lacks.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            enableCache: try container.decodeIfPresent(Bool.self, forKey: .enableCache),
            cachePolicy: try container.decodeIfPresent(CachePolicy.self, forKey: .cachePolicy),
            environment: try container.decodeIfPresent([String: String].self, forKey: .environment) ?? [:],
            secrets: try container.decodeIfPresent([String].self, forKey: .secrets) ?? [],
            retry: try container.decodeIfPresent(RetryPolicy.self, forKey: .retry),
            enableStepLogs: try container.decodeIfPresent(Bool.self, forKey: .enableStepLogs),
            enableArtifactMetadata: try container.decodeIfPresent(Bool.self, forKey: .enableArtifactMetadata),
            extra: try container.decodeIfPresent([String: JSONValue].self, forKey: .extra) ?? [:],
            settings: try container.decodeIfPresent([String: JSONValue].self, forKey: .settings) ?? [:],
            model: try container.decodeIfPresent(String.self, forKey: .model),
            artifactNames: try container.decodeIfPresent([String: String].self, forKey: .artifactNames) ?? [:])
    }
}
