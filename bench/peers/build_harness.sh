# Sourced by run.sh and run_neural.sh: builds librewind (unless Rewind_DIR names a build) and the harness.
#   build_harness [cmake --build options, e.g. --target peers_neural_gradient]
# Uses $here (bench/peers), $repo, $tmp and $build from the caller; sets Rewind_DIR.
build_harness() {
  if [ -z "${Rewind_DIR:-}" ]; then
    local rewind_build=${PEERS_REWIND_BUILD:-$tmp/peers-rewind-build}
    echo "== building librewind from $repo/native into $rewind_build"
    cmake -S "$repo/native" -B "$rewind_build" -DCMAKE_BUILD_TYPE=Release -DREWIND_BUILD_TESTS=OFF >/dev/null
    cmake --build "$rewind_build" --parallel
    Rewind_DIR=$rewind_build
  fi

  echo "== building the harness into $build (Rewind_DIR=$Rewind_DIR)"
  cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DRewind_DIR="$Rewind_DIR" | grep -E "peers:" || true
  cmake --build "$build" --parallel "$@"
}
