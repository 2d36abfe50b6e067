#!/usr/bin/env bash
# libFuzzer runs of the input parsers (issue 15). Builds a throwaway package in .build/fuzz that links
# the real sources (symlinks) with Tests/Fuzz/FuzzTargets.swift, one executable per parser, with
# `-sanitize=fuzzer,address`; runs each for SECONDS (default 300) on its corpus in Tests/Fuzz/corpus,
# adding the new inputs libFuzzer keeps. Not part of `swift build` / `swift test`.
# usage: .ci/fuzz.sh [SECONDS] [TARGET...]   targets: prices-csv prices-jsonl signals assets theme config
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(prices-csv prices-jsonl signals assets theme config)
root=$PWD
pkg=$root/.build/fuzz
mkdir -p "$pkg/Sources"
for m in CSQLite COpenSSL CNcurses CCurl SQLiteKit IndexCore PortfolioStore Vault MarketData TerminalUI Dashboard; do
    ln -sfn "$root/Sources/$m" "$pkg/Sources/$m"
done
products=""
for t in "${targets[@]}"; do
    name=Fuzz$(echo "$t" | tr -d '-')
    flag=FUZZ_$(echo "$t" | tr 'a-z-' 'A-Z_')
    mkdir -p "$pkg/Sources/$name"
    ln -sfn "$root/Tests/Fuzz/FuzzTargets.swift" "$pkg/Sources/$name/FuzzTargets.swift"
    products+="        .executableTarget(name: \"$name\", dependencies: [\"IndexCore\", \"TerminalUI\", \"Dashboard\"],
            swiftSettings: [.define(\"$flag\"), .unsafeFlags([\"-parse-as-library\", \"-sanitize=fuzzer,address\"])],
            linkerSettings: [.unsafeFlags([\"-sanitize=fuzzer,address\"])]),
"
done
# The library targets of the real manifest (without warnings-as-errors: sanitizer builds may warn).
cat >"$pkg/Package.swift" <<MANIFEST
// swift-tools-version: 6.2
import PackageDescription
let package = Package(
    name: "indextop-fuzz",
    targets: [
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3"),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto"),
        .systemLibrary(name: "CNcurses"),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "SQLiteKit", dependencies: ["CSQLite"]),
        .target(name: "IndexCore"),
        .target(name: "PortfolioStore", dependencies: ["SQLiteKit", "IndexCore"]),
        .target(name: "Vault", dependencies: ["COpenSSL", "IndexCore"]),
        .target(name: "MarketData", dependencies: ["CCurl", "IndexCore", "PortfolioStore", "Vault"]),
        .target(name: "TerminalUI", dependencies: ["CNcurses", "IndexCore"]),
        .target(name: "Dashboard", dependencies: ["TerminalUI", "IndexCore", "PortfolioStore", "MarketData", "Vault"]),
$products    ]
)
MANIFEST
swift build -c debug --package-path "$pkg" -Xswiftc -sanitize=fuzzer,address 2>&1 | tail -3
for t in "${targets[@]}"; do
    name=Fuzz$(echo "$t" | tr -d '-')
    corpus=$root/Tests/Fuzz/corpus/$t
    mkdir -p "$corpus"
    echo "fuzz: $t for ${seconds}s"
    "$pkg/.build/debug/$name" -max_total_time="$seconds" -max_len=4096 -timeout=10 "$corpus" 2>&1 | tail -4
done
