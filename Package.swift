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
        .target(name: "AccordPolicy", swiftSettings: swiftSettings),
        .target(name: "AccordImport", swiftSettings: swiftSettings),
        .target(name: "AccordSampleData", swiftSettings: swiftSettings),
        // Identity resolution: pure values in, pure values out (no SQLite, no crypto).
        .target(name: "AccordConsolidation", dependencies: ["AccordModel", "AccordImport"], swiftSettings: swiftSettings),

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
                "AccordSampleData", "AccordSync",
            ],
            swiftSettings: swiftSettings
        ),

        // Sync: frames and the protocol state machine (no sockets).
        .target(name: "AccordSync", dependencies: ["AccordLedger", "AccordModel"], swiftSettings: swiftSettings),

        // Executables.
        .executableTarget(
            name: "AccordCLI",
            dependencies: [
                "AccordNode", "AccordStore", "AccordModel", "AccordPolicy", "AccordImport", "AccordCrypto", "AccordSampleData",
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AccordBench",
            dependencies: [
                "AccordNode", "AccordSQLite", "AccordSampleData", "AccordImport", "AccordLedger", "AccordCrypto", "AccordModel",
                "AccordStore", "AccordSync", "AccordConsolidation",
            ],
            swiftSettings: swiftSettings
        ),

        // Tests: one target per module.
        .testTarget(name: "AccordSQLiteTests", dependencies: ["AccordSQLite"], swiftSettings: swiftSettings),
        .testTarget(name: "AccordCryptoTests", dependencies: ["AccordCrypto"], swiftSettings: swiftSettings),
        .testTarget(name: "AccordModelTests", dependencies: ["AccordModel", "AccordSampleData"], swiftSettings: swiftSettings),
        .testTarget(name: "AccordPolicyTests", dependencies: ["AccordPolicy"], swiftSettings: swiftSettings),
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
                "AccordNode", "AccordStore", "AccordModel", "AccordImport", "AccordPolicy", "AccordCrypto", "AccordLedger",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AccordCLITests",
            dependencies: ["AccordCLI", "AccordNode", "AccordStore", "AccordLedger", "AccordModel", "AccordCrypto", "AccordSampleData"],
            swiftSettings: swiftSettings
        ),
    ]
)
