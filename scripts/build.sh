#!/usr/bin/env bash
# Builds wirefeed: installs the Debian packages (scripts/install-deps.sh), then configures and builds
# into ${WIREFEED_BUILD_DIR:-build} (relative paths are taken from the repository root) with Ninja,
# RelWithDebInfo and warnings as errors. Idempotent: an up-to-date tree costs a few seconds.
# The daemon ends up in <build>/daemon/wirefeed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${WIREFEED_BUILD_DIR:-build}"
[[ "$build" = /* ]] || build="$root/$build"

"$root/scripts/install-deps.sh"

# Configure only when needed: no tree yet, or one configured with other settings. Ninja re-runs
# cmake by itself when a CMakeLists.txt changes.
cache="$build/CMakeCache.txt"
# A tree configured from another checkout cannot be reused: one inside this checkout (copied or
# moved with it) is configured afresh; one outside it whose source tree still exists is that
# checkout's, and is left alone (WIREFEED_BUILD_DIR pointing at it by mistake must not wreck it).
if [ -f "$cache" ] && ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$root" "$cache"; then
  other="$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$cache")"
  if [[ "$(realpath -m "$build")/" != "$(realpath "$root")"/* ]] && [ -n "$other" ] && [ -f "$other/CMakeLists.txt" ]; then
    echo "build.sh: $build is the build tree of $other; set WIREFEED_BUILD_DIR to another directory" >&2
    exit 1
  fi
  echo "build.sh: $build was configured for another source tree; configuring it afresh"
  rm -rf "$cache" "$build/CMakeFiles" "$build/build.ninja"
fi
if [ ! -f "$build/build.ninja" ] ||
   ! grep -qx 'CMAKE_BUILD_TYPE:STRING=RelWithDebInfo' "$cache" ||
   ! grep -qx 'WIREFEED_WERROR:BOOL=ON' "$cache"; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWIREFEED_WERROR=ON
fi
ninja -C "$build"
