#!/usr/bin/env bash
# libFuzzer runs of the vault's two decoders (issue 15): the IDXV1 file parser and the audit-line
# parser. Each harness (Tests/Fuzz/vault-*.swift) is compiled together with Sources/Vault into one
# module with -sanitize=fuzzer,address and run for FUZZ_SECONDS (default 300) from the committed
# corpus (Tests/Fuzz/vault-*-corpus); new inputs go to a scratch copy, crashes to $out/crash-*.
# usage: .ci/fuzz-vault.sh [idxv1|audit]...        exit 1 on a crash, a hang (-timeout) or a build failure
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-300}
out=${FUZZ_OUT:-/tmp/indextop-fuzz-vault}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(idxv1 audit)
mkdir -p "$out"
status=0
# Vault imports IndexCore (the UTC calendar): build it once as a plain static module.
echo "fuzz: building IndexCore"
swiftc -parse-as-library -emit-library -static -emit-module -module-name IndexCore \
    -emit-module-path "$out/IndexCore.swiftmodule" $(find Sources/IndexCore -name "*.swift" | sort) -o "$out/libIndexCore.a"
for target in "${targets[@]}"; do
    harness=Tests/Fuzz/vault-$target.swift
    [ -f "$harness" ] || { echo "fuzz: no harness $harness" >&2; exit 2; }
    bin=$out/vault-$target
    echo "fuzz: building $bin"
    swiftc -sanitize=fuzzer,address -parse-as-library -module-name VaultFuzz -I "$out" -L "$out" -lIndexCore \
        -Xcc -fmodule-map-file=Sources/COpenSSL/module.modulemap -I Sources/COpenSSL \
        $(find Sources/Vault -name "*.swift" | sort) "$harness" -o "$bin" 2> >(grep -v 'ld.gold: warning' >&2)
    corpus=$out/corpus-$target
    rm -rf "$corpus" && mkdir -p "$corpus"
    cp Tests/Fuzz/vault-$target-corpus/* "$corpus"/
    echo "fuzz: $target for $seconds s"
    if ! "$bin" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="$out/$target-" -print_final_stats=1 2>"$out/$target.log"; then
        echo "fuzz: $target FAILED (see $out/$target.log)" >&2
        tail -30 "$out/$target.log" >&2
        status=1
    else
        grep -E '^stat::number_of_executed_units|^Done' "$out/$target.log" || tail -2 "$out/$target.log"
    fi
done
exit $status
