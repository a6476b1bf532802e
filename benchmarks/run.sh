#!/usr/bin/env bash
# Builds the benchmarks module and runs every benchmark side by side, writing BENCHMARKS.md at the top of the
# repository. Not part of the test suite. Needs wrk (Debian package; installed here when missing and root).
# Usage: bash benchmarks/run.sh [quick]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is missing: sudo apt-get install wrk" >&2
    exit 1
  fi
fi
mvn -q -B -ntp -pl benchmarks -am package -DskipTests
java -Xmx4g -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  io.github.awsdelegation.benchmarks.RunAll BENCHMARKS.md "${1:-full}"
