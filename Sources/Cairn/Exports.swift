// What `import Cairn` brings: the core types, the runtime, the local stores and the macros.
@_exported import CairnCore
@_exported import CairnFileStore
@_exported import CairnRuntime
@_exported import CairnSQLite
@_exported import Logging
