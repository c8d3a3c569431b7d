// swift-tools-version: 6.2
import CompilerPluginSupport
import PackageDescription

/// Strict settings for every target: Swift 6 mode plus the upcoming features the style guide asks for.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Cairn",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Cairn", targets: ["Cairn"]),
        .library(name: "CairnCommands", targets: ["CairnCommands"]),
        .library(name: "CairnTesting", targets: ["CairnTesting"]),
        .executable(name: "quickstart", targets: ["Quickstart"]),
        .executable(name: "cairn", targets: ["CairnCommandLine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-subprocess", from: "1.0.0"),
        // Already a dependency of swift-subprocess, whose API takes its `FilePath`; named here because
        // CairnRuntime imports it directly.
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "602.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Core: steps, pipelines, the graph, serializers, records and store protocols. No I/O.
        .target(
            name: "CairnCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Macro expansion logic, in an ordinary library so that tests do not build swift-syntax twice.
        .target(
            name: "CairnMacroSupport",
            dependencies: [
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
                .product(name: "SwiftSyntaxBuilder", package: "swift-syntax"),
                .product(name: "SwiftDiagnostics", package: "swift-syntax"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // The compiler plugin: a thin shell over CairnMacroSupport.
        .macro(
            name: "CairnMacros",
            dependencies: [
                "CairnMacroSupport",
                .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
            ],
            swiftSettings: strictSettings
        ),
        // Local stores: the SQLite metadata store and the content-addressed artifact folder.
        .target(
            name: "CairnSQLite",
            dependencies: [
                "CairnCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        // The PostgreSQL metadata store, for teams: one database shared by many hosts.
        .target(
            name: "CairnPostgres",
            dependencies: [
                "CairnCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CairnFileStore",
            dependencies: ["CairnCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // YAML run configuration files: reading them, checking them, and writing templates.
        .target(
            name: "CairnConfiguration",
            dependencies: ["CairnCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        // Running pipelines: the scheduler, the step executor and the orchestrators.
        .target(
            name: "CairnRuntime",
            dependencies: [
                "CairnCore",
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        // What users import: the core, the macros, the runtime and the stores.
        .target(
            name: "Cairn",
            dependencies: [
                "CairnCore", "CairnConfiguration", "CairnMacros", "CairnRuntime", "CairnSQLite", "CairnPostgres", "CairnFileStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The scheduler service: fires the stack's schedules, each occurrence once, as a swift-service-lifecycle
        // `Service`. Apart from `Cairn`, so that code that only runs pipelines does not carry the service's dependencies.
        .target(
            name: "CairnScheduler",
            dependencies: [
                "Cairn",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // A pipeline executable's commands (`CairnCLI.main(pipelines:)`): `list`, `run`, `resume`,
        // `step run`, `config`. Apart from `Cairn`, so that code that only runs pipelines does not
        // carry a command-line parser.
        .target(
            name: "CairnCommands",
            dependencies: [
                "Cairn", "CairnScheduler", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // Helpers for tests, usable by users too: temporary stacks, a private PostgreSQL server.
        .target(
            name: "CairnTesting",
            dependencies: ["Cairn", "CairnCore", "CairnPostgres", "CairnScheduler", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // What inspecting a store computes, for the `cairn` command line and the dashboard alike: run
        // details, look-ups that suggest the closest name, the run graph. No command-line code.
        .target(
            name: "CairnInspection",
            dependencies: ["CairnCore", "CairnRuntime"],
            swiftSettings: strictSettings
        ),
        // The `cairn` command line: inspecting and managing a store. The commands live in a library so
        // that tests run them in process; the executable is a one-line main.
        .target(
            name: "CairnInspect",
            dependencies: [
                "Cairn", "CairnInspection", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "CairnCommandLine",
            dependencies: ["CairnInspect"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "Quickstart",
            dependencies: ["CairnCommands", "Cairn"],
            path: "Examples/Quickstart",
            resources: [.copy("iris.csv")],
            swiftSettings: strictSettings
        ),
        // Pipelines for the tests, and an executable that serves them, which the tests launch as a
        // real separate process.
        .target(
            name: "CairnFixturePipelines",
            dependencies: ["Cairn"],
            path: "Tests/FixturePipelines",
            swiftSettings: strictSettings
        ),
        // The README's examples, whole, so that the build checks them (see ReadmeTests).
        .target(
            name: "CairnReadmeExamples",
            dependencies: ["CairnCommands", "Cairn"],
            path: "Tests/ReadmeExamples",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "cairn-fixtures",
            dependencies: ["CairnCommands", "Cairn", "CairnFixturePipelines", "CairnTesting"],
            path: "Tests/Fixtures",
            swiftSettings: strictSettings
        ),
        // Benchmarks: `swift run -c release cairn-benchmarks`. (ordo-one/benchmark cannot be resolved
        // here: on Linux with Swift 6.3 it needs swift-runtime-interposer, which is not available.)
        .executableTarget(
            name: "cairn-benchmarks",
            dependencies: ["Cairn", "CairnPostgres", "CairnScheduler", "CairnTesting", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks/CairnBenchmarks",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "cairn-one-step",
            dependencies: ["CairnCommands", "Cairn"],
            path: "Benchmarks/OneStep",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CairnCoreTests",
            dependencies: ["CairnCore", "CairnTesting"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CairnMacroSupportTests",
            dependencies: [
                "CairnMacroSupport",
                .product(name: "SwiftSyntaxMacrosGenericTestSupport", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacroExpansion", package: "swift-syntax"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CairnTests",
            dependencies: [
                "Cairn", "CairnPostgres", "CairnScheduler", "CairnTesting", "CairnFixturePipelines", "CairnReadmeExamples",
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CairnInspectTests",
            dependencies: [
                "CairnInspect", "CairnInspection", "CairnTesting", "CairnFixturePipelines",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)

// Fuzz targets for libFuzzer (`scripts/fuzz TARGET SECONDS`), declared only when that script builds
// them with `--sanitize=fuzzer`: they have no `main`, which libFuzzer provides.
if Context.environment["CAIRN_FUZZ"] != nil {
    for (name, folder, dependency) in [
        ("fuzz-configuration", "FuzzConfiguration", "CairnConfiguration"),
        ("fuzz-parameter-argument", "FuzzParameterArgument", "CairnCore"),
        ("fuzz-run-name-template", "FuzzRunNameTemplate", "CairnCore"),
        ("fuzz-numpy", "FuzzNumPy", "CairnCore"),
        ("fuzz-stack-file", "FuzzStackFile", "CairnConfiguration"),
    ] {
        package.targets.append(.executableTarget(
            name: name, dependencies: [.target(name: dependency)], path: "Fuzz/\(folder)", swiftSettings: strictSettings))
    }
}
