// swift-tools-version: 6.2
import PackageDescription

let settings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "indextop",
    products: [
        .executable(name: "indextop", targets: ["indextop"]),
        .executable(name: "indextop-bench", targets: ["indextop-bench"]),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncurses-dev"])]),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "SQLiteKit", dependencies: ["CSQLite"], swiftSettings: settings),
        .target(name: "IndexCore", swiftSettings: settings),
        .target(name: "PortfolioStore", dependencies: ["SQLiteKit", "IndexCore"], swiftSettings: settings),
        .target(name: "Vault", dependencies: ["COpenSSL", "IndexCore"], swiftSettings: settings),
        .target(
            name: "MarketData", dependencies: ["CCurl", "IndexCore", "PortfolioStore", "Vault"],
            swiftSettings: settings),
        .target(name: "TerminalUI", dependencies: ["CNcurses", "IndexCore"], swiftSettings: settings),
        .target(
            name: "Dashboard",
            dependencies: ["TerminalUI", "IndexCore", "PortfolioStore", "MarketData", "Vault"],
            swiftSettings: settings),
        .executableTarget(
            name: "indextop",
            dependencies: ["IndexCore", "PortfolioStore", "Vault", "MarketData", "TerminalUI", "Dashboard"],
            swiftSettings: settings),
        .executableTarget(
            name: "indextop-bench",
            dependencies: [
                "IndexCore", "PortfolioStore", "Vault", "MarketData", "TerminalUI", "Dashboard", "TestSupport",
            ],
            swiftSettings: settings),
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: settings),
        .testTarget(name: "SQLiteKitTests", dependencies: ["SQLiteKit"], swiftSettings: settings),
        .testTarget(name: "IndexCoreTests", dependencies: ["IndexCore", "TestSupport"], swiftSettings: settings),
        .testTarget(
            name: "PortfolioStoreTests", dependencies: ["PortfolioStore", "SQLiteKit", "IndexCore"],
            swiftSettings: settings),
        .testTarget(name: "VaultTests", dependencies: ["Vault", "IndexCore"], swiftSettings: settings),
        .testTarget(
            name: "MarketDataTests",
            dependencies: ["MarketData", "PortfolioStore", "IndexCore", "Vault", "TestSupport"],
            swiftSettings: settings),
        .testTarget(
            name: "TerminalUITests", dependencies: ["TerminalUI", "IndexCore", "TestSupport"], swiftSettings: settings),
        .testTarget(
            name: "DashboardTests",
            dependencies: ["Dashboard", "TerminalUI", "IndexCore", "PortfolioStore", "TestSupport"],
            swiftSettings: settings),
        .testTarget(name: "IndextopTests", dependencies: ["indextop", "TestSupport"], swiftSettings: settings),
    ]
)
