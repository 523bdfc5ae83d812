#!/usr/bin/env bash
# check-unit.sh WIREFEED_BINARY: deploy/wirefeed.service as systemd reads it. The unit is copied
# with ExecStart pointing at the given binary (the installed path does not exist on a build machine)
# and checked by `systemd-analyze verify`; any diagnostic fails (systemd only warns about an
# unknown or misspelt directive and would start the service without it).
set -euo pipefail

binary="${1:?usage: check-unit.sh WIREFEED_BINARY}"
unit="$(dirname "${BASH_SOURCE[0]}")/wirefeed.service"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

grep -q '^ExecStart=/usr/local/bin/wirefeed ' "$unit" || { echo "check-unit: no ExecStart=/usr/local/bin/wirefeed in $unit" >&2; exit 1; }
sed "s|^ExecStart=/usr/local/bin/wirefeed |ExecStart=$binary |" "$unit" > "$work/wirefeed.service"
diagnostics="$(systemd-analyze verify "$work/wirefeed.service" 2>&1)" || { echo "$diagnostics" >&2; exit 1; }
if [[ -n "$diagnostics" ]]; then
  echo "check-unit: systemd-analyze verify reports:" >&2
  echo "$diagnostics" >&2
  exit 1
fi
echo "check-unit: $unit verifies"
