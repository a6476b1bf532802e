#!/usr/bin/env bash
# Builds the benchmarks module (with the footprint apps and the sample WAR, for the footprint rows) and runs every
# benchmark side by side, writing BENCHMARKS.md at the top of the repository. Not part of the test suite. Needs wrk
# and redis-server (Debian packages; installed here when missing and root): the cluster rows start a redis-server on
# 127.0.0.1 and Hazelcast members in the JVM.
# Usage: bash benchmarks/run.sh [quick | cluster | peers [quick] | memory | sts [quick]]   (cluster, peers, memory: those
# rows only, in place of the previous ones; sts: the STS rows printed, the file left as it is)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk redis-server; do
  if ! command -v "$tool" >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
    else
      echo "$tool is missing: sudo apt-get install $tool" >&2
      exit 1
    fi
  fi
done
# The footprint rows read what Maven resolves: the runtime dependencies of the apps of one dependency under
# benchmarks/footprint (target/runtime-dependencies.txt, with file names) and the sample WAR.
mvn -q -B -ntp -pl benchmarks,benchmarks/footprint/filter,benchmarks/footprint/cdi,benchmarks/footprint/saml,sample-war \
  -am package -DskipTests \
  dependency:list -DincludeScope=runtime -DoutputAbsoluteArtifactFilename=true \
  -DoutputFile=target/runtime-dependencies.txt
java -Xmx4g -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  io.github.awsdelegation.benchmarks.RunAll BENCHMARKS.md "${1:-full}" ${2:+"$2"}
