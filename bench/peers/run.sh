#!/usr/bin/env bash
# Configure, build and run the librewind vs SUNDIALS CVODE/CVODES comparison in one command.
#
#   bench/peers/run.sh [harness options]        e.g. --problems rober,hires --min-time 0.5
#   bench/peers/run.sh --neural [options]       the neural ODE benchmark against PyTorch instead (run_neural.sh)
#
# Environment:
#   Rewind_DIR          a librewind build (or install) dir holding RewindConfig.cmake, e.g. artifacts/native/Release;
#                       when unset, librewind is built from native/ into $PEERS_REWIND_BUILD
#   PEERS_REWIND_BUILD  default ${TMPDIR:-/tmp}/peers-rewind-build
#   PEERS_BUILD         build dir of the harness, default ${TMPDIR:-/tmp}/peers-build
#   PEERS_LOG           where the printed tables go as well, default bench/peers/results/work_precision.txt
# Needs SUNDIALS >= 6 (Debian/Ubuntu: apt-get install libsundials-dev). Output: the tables on stdout (also in
# bench/peers/results/work_precision.txt) and results/{work_precision,ratios,gradients}.csv.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ "${1:-}" = "--neural" ]; then  # the neural ODE benchmark against PyTorch (run_neural.sh; no SUNDIALS needed)
  shift
  exec "$here/run_neural.sh" "$@"
fi
repo=$(cd "$here/../.." && pwd)
tmp=${TMPDIR:-/tmp}
build=${PEERS_BUILD:-$tmp/peers-build}

. "$here/build_harness.sh"
build_harness

if [ ! -x "$build/peers_work_precision" ]; then
  echo "SUNDIALS was not found, so the harness was not built (apt-get install libsundials-dev)" >&2
  exit 1
fi

log=${PEERS_LOG:-$here/results/work_precision.txt}
mkdir -p "$here/results" "$(dirname "$log")"
echo "== running (several minutes: every point is repeated until 0.2 s of CPU time have accumulated)"
"$build/peers_work_precision" "$@" | tee "$log"
