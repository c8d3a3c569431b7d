// What `import Cairn` brings: the core types, run configuration files, the runtime, the local stores
// and the macros.
@_exported import CairnConfiguration
@_exported import CairnCore
@_exported import CairnFileStore
@_exported import CairnRuntime
@_exported import CairnSQLite
@_exported import Logging
