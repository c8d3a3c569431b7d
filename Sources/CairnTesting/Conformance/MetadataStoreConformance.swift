public import CairnCore

/// The conformance suite of ``MetadataStore``: the checks every metadata store must pass,
/// unchanged. Cairn's SQLite and PostgreSQL stores pass it; so must any other.
///
/// Run each check on a fresh, empty store:
///
/// ```swift
/// @Test(arguments: MetadataStoreConformance.checks)
/// func conforms(to check: ConformanceCheck<any MetadataStore>) async throws {
///     try await check.run(on: MyStore(path: temporaryPath()))
/// }
/// ```
public enum MetadataStoreConformance {
    /// Every check, by capability: runs, step runs and artifact versions; heartbeats, logs,
    /// retries and metadata; inspection and deletion; schedules and their occurrences.
    public static var checks: [ConformanceCheck<any MetadataStore>] {
        recordChecks + maintenanceChecks + inspectionChecks + scheduleChecks
    }
}
