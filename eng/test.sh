#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what the tests need, builds, runs, and ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# --- Prerequisites ----------------------------------------------------------------------------------------
# Real servers the tests start themselves: Prometheus (canary metric source), and Chromium (with a font) for the UI tests,
# which Playwright drives at /usr/bin/chromium. Installed from Debian when missing.
missing=()
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-liberation)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "error: ${missing[*]} missing and no root to install it (apt-get install ${missing[*]})" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The package starts a system service on :9090; tests run their own instances on free ports.
  ($SUDO systemctl stop prometheus 2>/dev/null || $SUDO service prometheus stop 2>/dev/null || true) >/dev/null 2>&1
fi

# --- Build ------------------------------------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet restore Mizzen.slnx --nologo -v quiet
dotnet build Mizzen.slnx --no-restore --nologo -v quiet -clp:ErrorsOnly

# --- Test -------------------------------------------------------------------------------------------------
results="$root/TestResults"
rm -rf "$results"
set +e
dotnet test Mizzen.slnx --no-build --nologo --logger "trx" --results-directory "$results" --blame-hang-timeout 12m -- RunConfiguration.CollectSourceInformation=false
status=$?
set -e

passed=0; failed=0; total=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p'); f=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  t=$(echo "$counters" | sed -n 's/.* total="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); total=$((total + ${t:-0}))
done
# A test host that crashed or hung counts as a failure even if its report is incomplete.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$total" -gt 0 ]
