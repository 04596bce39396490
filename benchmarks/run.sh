#!/usr/bin/env bash
# Finalize benchmarks (not part of the test command): builds the benchmarks module, installs the pinned
# Toxiproxy with `go install` into a per-user cache, and writes Markdown + CSV tables per regime to
# benchmarks/results/. Usage: benchmarks/run.sh [--quick] [--stores filesystem,azure,gcs,s3] [--regimes loopback,cloud-like]
set -euo pipefail

TOXIPROXY_VERSION=v2.12.0
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
tools="${ATOMIC_CHECKPOINT_TOOLS:-$HOME/.cache/atomic-checkpoint/tools}"
toxiproxy_dir="$tools/toxiproxy-$TOXIPROXY_VERSION"

if [ ! -x "$toxiproxy_dir/server" ]; then
  echo "installing Toxiproxy $TOXIPROXY_VERSION into $toxiproxy_dir" >&2
  mkdir -p "$toxiproxy_dir"
  (cd "$toxiproxy_dir" && GOBIN="$toxiproxy_dir" GOFLAGS=-mod=mod \
    go install "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION")
fi

cd "$root"
mvn -B -q -ntp -Pbenchmarks -pl benchmarks -am -DskipTests package
# The S3 target's launcher runs this S3Mock jar (copied there by the build) from its own directory: absolute path.
exec java -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Datomiccheckpoint.s3mock.jar="$root/benchmarks/target/s3mock/s3mock-exec.jar" \
  -cp "benchmarks/target/classes:benchmarks/target/lib/*" \
  io.atomiccheckpoint.benchmarks.BenchmarkMain --out benchmarks/results --toxiproxy "$toxiproxy_dir/server" "$@"
