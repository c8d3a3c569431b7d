/// Where runs, step runs, artifact versions and lineage are recorded: every capability of a
/// metadata store together.
///
/// The local default is `SQLiteMetadataStore` (module `CairnSQLite`); teams use
/// `PostgreSQLMetadataStore` (module `CairnPostgres`). Both pass the same conformance suite,
/// `MetadataStoreConformance` in `CairnTesting`, unchanged. Methods are `async` so that a
/// networked store can implement them without blocking.
///
/// Code that needs less can ask for less: the capabilities are separate protocols.
///
/// ## Topics
///
/// ### Capabilities
/// - ``RunStore``
/// - ``StepRunStore``
/// - ``ArtifactVersionStore``
/// - ``RunMetadataStore``
/// - ``StoreInspection``
/// - ``StoreMaintenance``
/// - ``HistoryImport``
/// - ``SecretStore``
/// - ``ScheduleStore``
public protocol MetadataStore: RunStore, StepRunStore, ArtifactVersionStore, RunMetadataStore, StoreInspection, StoreMaintenance, HistoryImport,
    SecretStore, ScheduleStore
{}
