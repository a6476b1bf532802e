#!/usr/bin/env bash
# Where the hot path's CPU goes over HTTP, as a share of the whole machine: runs HotPathProfile (wrk against the
# servlet behind the filter, then without it) under `perf record -a -g` while the filter is in the path, and prints
# the filter's share (PerfShare). Not part of the test suite; needs root (or kernel.perf_event_paranoid <= 0), perf
# (Debian: linux-perf) and wrk, and `bash benchmarks/run.sh` or the package step below having built the module.
# Usage: bash benchmarks/profile-http.sh [bearer|session] [seconds of load before recording, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-bearer}"
warm="${2:-30}"
for tool in perf wrk; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (Debian: apt-get install ${tool/perf/linux-perf})" >&2; exit 1; }
done
[ -f benchmarks/target/classpath.txt ] || mvn -q -B -ntp -pl benchmarks -am package -DskipTests -Dinvoker.skip=true
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
record=12
# The JIT's code gets names from the map the JVM writes when it exits (/tmp/perf-<pid>.map); frame pointers keep the
# stacks whole. The load with the filter lasts warm + record + 5 s, then the same without it.
java -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer -cp "$cp" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn io.github.awsdelegation.benchmarks.HotPathProfile \
  $((warm + record + 5)) "$mode" > "$out/load.txt" 2>&1 &
java_pid=$!
# HotPathProfile first starts its IdP and STS, signs in and warms the path for 5 s.
sleep $((warm + 10))
perf record -a -g -o "$out/perf.data" -- sleep "$record" >/dev/null 2>&1
wait "$java_pid"
grep -E "with filter" "$out/load.txt" || true
perf script -i "$out/perf.data" -F comm,ip,sym 2>/dev/null | java -cp "$cp" io.github.awsdelegation.benchmarks.PerfShare
rm -f "/tmp/perf-$java_pid.map"
