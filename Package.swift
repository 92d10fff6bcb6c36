// swift-tools-version: 6.1
// Accord: federated customer data across business units.
// Dependencies point one way: C wrappers -> model/policy -> ledger -> store -> node -> CLI.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Accord",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "accord", targets: ["AccordCLI"]),
        .executable(name: "accord-bench", targets: ["AccordBench"]),
        .executable(name: "accord-fuzz", targets: ["AccordFuzz"]),
        .executable(name: "accord-reliability", targets: ["AccordReliability"]),
    ],
    targets: [
        // C libraries, each wrapped once.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "AccordSQLite", dependencies: ["CSQLite"], swiftSettings: swiftSettings),
        .target(name: "AccordCrypto", dependencies: ["COpenSSL"], swiftSettings: swiftSettings),

        // Pure Swift: no C library below these.
        .target(name: "AccordModel", swiftSettings: swiftSettings),
        .target(name: "AccordImport", swiftSettings: swiftSettings),
        .target(name: "AccordSampleData", swiftSettings: swiftSettings),
        // Identity resolution: pure values in, pure values out (no SQLite, no crypto).
        .target(name: "AccordConsolidation", dependencies: ["AccordModel", "AccordImport"], swiftSettings: swiftSettings),
        // The policy carries the identity-resolution rules and survivorship, as the engine's values.
        .target(name: "AccordPolicy", dependencies: ["AccordConsolidation"], swiftSettings: swiftSettings),

        // Segments: the filter language, lifecycle stages, column-wise evaluation (pure values, no store).
        .target(name: "AccordSegments", dependencies: ["AccordPolicy"], swiftSettings: swiftSettings),

        // Signed batches, the store, the node.
        .target(name: "AccordLedger", dependencies: ["AccordModel", "AccordCrypto"], swiftSettings: swiftSettings),
        .target(
            name: "AccordStore",
            dependencies: ["AccordSQLite", "AccordLedger", "AccordModel", "AccordCrypto"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AccordNode",
            dependencies: [
                "AccordStore", "AccordLedger", "AccordModel", "AccordPolicy", "AccordImport", "AccordCrypto",
                "AccordSampleData", "AccordSync", "AccordConsolidation", "AccordSegments",
            ],
            swiftSettings: swiftSettings
        ),

        // HTTP/1.1 over TLS: a sans-IO request parser, router, JSON, the server (generic, no Accord types).
        .target(name: "AccordHTTP", dependencies: ["AccordCrypto"], swiftSettings: swiftSettings),

        // The node's HTTPS API: authentication, roles, the routes (over AccordHTTP, on AccordNode).
        .target(
            name: "AccordAPI",
            dependencies: ["AccordHTTP", "AccordNode", "AccordStore", "AccordModel", "AccordPolicy", "AccordImport", "AccordCrypto", "AccordLedger",
                           "AccordSegments"],
            swiftSettings: swiftSettings
        ),

        // Sync: frames and the protocol state machine (no sockets).
        .target(name: "AccordSync", dependencies: ["AccordLedger", "AccordModel"], swiftSettings: swiftSettings),

        // Fuzz targets over every input Accord reads from outside (libFuzzer and corpus replay).
        .target(
            name: "AccordFuzzing",
            dependencies: ["AccordSync", "AccordLedger", "AccordModel", "AccordPolicy", "AccordImport", "AccordCrypto", "AccordHTTP", "AccordSegments"],
            swiftSettings: swiftSettings
        ),

        // Executables.
        .executableTarget(
            name: "AccordCLI",
            dependencies: [
                "AccordAPI", "AccordNode", "AccordStore", "AccordModel", "AccordPolicy", "AccordImport", "AccordCrypto", "AccordSampleData",
                "AccordSegments",
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AccordBench",
            dependencies: [
                "AccordAPI", "AccordNode", "AccordSQLite", "AccordSampleData", "AccordImport", "AccordLedger", "AccordCrypto", "AccordModel",
                "AccordStore", "AccordSync", "AccordConsolidation", "AccordSegments",
            ],
            swiftSettings: swiftSettings
        ),

        .executableTarget(name: "AccordFuzz", dependencies: ["AccordFuzzing"], swiftSettings: swiftSettings),
        // Fault harnesses over real accord processes: kill -9 audits, chaos schedules.
        .executableTarget(
            name: "AccordReliability",
            dependencies: ["AccordNode", "AccordStore", "AccordLedger", "AccordModel", "AccordCrypto", "AccordSync", "AccordSQLite"],
            swiftSettings: swiftSettings
        ),

        // Tests: one target per module.
        .testTarget(name: "AccordSQLiteTests", dependencies: ["AccordSQLite"], swiftSettings: swiftSettings),
        .testTarget(name: "AccordCryptoTests", dependencies: ["AccordCrypto"], swiftSettings: swiftSettings),
        .testTarget(name: "AccordModelTests", dependencies: ["AccordModel", "AccordSampleData"], swiftSettings: swiftSettings),
        .testTarget(name: "AccordPolicyTests", dependencies: ["AccordPolicy", "AccordConsolidation"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AccordImportTests",
            dependencies: ["AccordImport", "AccordSampleData"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AccordConsolidationTests",
            dependencies: ["AccordConsolidation", "AccordModel", "AccordImport", "AccordSampleData"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AccordLedgerTests",
            dependencies: ["AccordLedger", "AccordModel", "AccordCrypto", "AccordSampleData"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AccordStoreTests",
            dependencies: ["AccordStore", "AccordLedger", "AccordModel", "AccordCrypto", "AccordSampleData", "AccordSQLite"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AccordSyncTests",
            dependencies: ["AccordSync", "AccordLedger", "AccordModel", "AccordCrypto"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AccordNodeTests",
            dependencies: [
                "AccordNode", "AccordStore", "AccordModel", "AccordImport", "AccordPolicy", "AccordCrypto", "AccordLedger", "AccordSegments",
                "AccordSync",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "AccordHTTPTests", dependencies: ["AccordHTTP", "AccordCrypto"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AccordAPITests",
            dependencies: ["AccordAPI", "AccordHTTP", "AccordNode", "AccordStore", "AccordModel", "AccordCrypto"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AccordCLITests",
            dependencies: ["AccordCLI", "AccordNode", "AccordStore", "AccordLedger", "AccordModel", "AccordCrypto", "AccordSampleData"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "AccordSegmentsTests", dependencies: ["AccordSegments", "AccordPolicy"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AccordFuzzingTests",
            dependencies: ["AccordFuzzing"],
            swiftSettings: swiftSettings
        ),
    ]
)
