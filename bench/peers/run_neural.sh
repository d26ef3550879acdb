#!/usr/bin/env bash
# Configure, build and run the neural ODE gradient benchmark, librewind against PyTorch, in one command
# (also reachable as `bench/peers/run.sh --neural ...`).
#
#   bench/peers/run_neural.sh [options]       e.g. --cases small --min-time 0.5
#
# Options: those of peers_neural_gradient (see the top of neural_gradient.c: --cases, --methods, --kernels, --steps,
# --large-steps, --t1, --min-time, --min-reps); --cases, --methods, --min-time and --min-reps go to the PyTorch side
# too. --no-torch skips PyTorch.
# Environment:
#   Rewind_DIR          a librewind build (or install) dir holding RewindConfig.cmake; when unset, librewind is
#                       built from native/ into $PEERS_REWIND_BUILD
#   PEERS_REWIND_BUILD  default ${TMPDIR:-/tmp}/peers-rewind-build
#   PEERS_BUILD         build dir of the harness, default ${TMPDIR:-/tmp}/peers-build
#   PEERS_NEURAL_DATA   model, inputs and librewind's gradients handed to the PyTorch side, and both sides' raw rows
#                       (rewind.csv, torch.csv), default ${TMPDIR:-/tmp}/peers-neural
#   PEERS_PYTHON        the Python with torch; default the first of python3, /usr/bin/python3 that imports torch
#   PEERS_TORCH_THREADS torch.set_num_threads (default 1: librewind runs on one thread)
#   PEERS_NEURAL_NAME   stem of the result files, default neural_gradient
#   PEERS_LOG           where everything printed goes as well, default bench/peers/results/$PEERS_NEURAL_NAME.txt
# Both sides take dgemm from the libblas.so.3 the loader finds: to compare against another BLAS without installing
# it, put a directory holding its libblas.so.3 on LD_LIBRARY_PATH (README.md). OMP_NUM_THREADS and
# OPENBLAS_NUM_THREADS are set to PEERS_TORCH_THREADS for both sides unless already set.
# PyTorch is optional (Debian/Ubuntu: apt-get install python3-torch): without it only librewind's side runs.
# Output: the summary table last on stdout; results/neural_gradient.{txt,csv} and results/neural_gradient_rates.csv.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
tmp=${TMPDIR:-/tmp}
build=${PEERS_BUILD:-$tmp/peers-build}
data=${PEERS_NEURAL_DATA:-$tmp/peers-neural}
threads=${PEERS_TORCH_THREADS:-1}
name=${PEERS_NEURAL_NAME:-neural_gradient}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$threads}
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-$threads}

harness_args=()
torch_args=()
use_torch=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-torch) use_torch=0; shift ;;
    --no-fork) harness_args+=("$1"); shift ;;
    --cases|--methods|--min-time|--min-reps)
      [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; }
      harness_args+=("$1" "$2"); torch_args+=("$1" "$2"); shift 2 ;;
    --*)
      [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; }
      harness_args+=("$1" "$2"); shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

source_note="librewind built from the tree"
if [ -n "${Rewind_DIR:-}" ]; then source_note="librewind from Rewind_DIR=$Rewind_DIR (prebuilt); the tree is"; fi
. "$here/build_harness.sh"
build_harness --target peers_neural_gradient

python=${PEERS_PYTHON:-}
if [ -z "$python" ]; then
  for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c "import torch" >/dev/null 2>&1; then
      python=$candidate
      break
    fi
  done
fi
# the summary needs only the standard library
report_python=$python
if [ -z "$report_python" ]; then
  for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1; then report_python=$candidate; break; fi
  done
fi

log=${PEERS_LOG:-$here/results/$name.txt}
mkdir -p "$here/results" "$(dirname "$log")" "$data"
rm -f "$data"/rewind.csv "$data"/torch.csv "$data"/rewind_*.txt "$data"/neural_*.txt
{
  echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $source_note at $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$( \
    [ -n "$(GIT_OPTIONAL_LOCKS=0 git -C "$repo" status --porcelain -- native 2>/dev/null)" ] && echo ' + uncommitted changes in native/'), $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo ?) CPU(s): $( \
    grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//')${LD_LIBRARY_PATH:+, LD_LIBRARY_PATH=$LD_LIBRARY_PATH}"
  echo "== librewind (several minutes: every configuration runs in a process of its own)"
  rc=0
  "$build/peers_neural_gradient" --data-dir "$data" ${harness_args[@]+"${harness_args[@]}"} || rc=$?
  if [ "$use_torch" = 1 ] && [ -n "$python" ]; then
    echo
    echo "== PyTorch ($python: $("$python" -c 'import torch; print("torch", torch.__version__)'))"
    "$python" "$here/neural_gradient_torch.py" --data-dir "$data" --threads "$threads" \
      ${torch_args[@]+"${torch_args[@]}"} || rc=$?
  elif [ "$use_torch" = 1 ]; then
    echo
    echo "== PyTorch: not available (no python3 that can import torch; apt-get install python3-torch)"
  fi
  echo
  if [ -n "$report_python" ]; then
    "$report_python" "$here/neural_gradient_torch.py" --report --data-dir "$data" --results "$here/results" \
      --name "$name" || rc=$?
  else
    echo "no python3 for the summary table; librewind's rows are in $data/rewind.csv"
    cp "$data/rewind.csv" "$here/results/$name.csv"
  fi
  exit $rc
} 2>&1 | tee "$log"
exit "${PIPESTATUS[0]}"
