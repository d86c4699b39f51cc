#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what the tests need, builds, runs, and ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# --- Prerequisites ----------------------------------------------------------------------------------------
# Real servers the tests start themselves: Prometheus (canary metric source), PostgreSQL (the scale-out store; binaries in
# /usr/lib/postgresql/N/bin), and Chromium (with a font) for the UI tests, which Playwright drives at /usr/bin/chromium.
# The triggers' real counterparts: Debian's docker-registry (the docker tag trigger), aiosmtpd (a real SMTP server for email
# notifications) and a Java runtime for the Google Pub/Sub emulator that the Cloud SDK on these machines ships. Installed from
# Debian when missing.
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | while read -r d; do [ -x "$d/initdb" ] && [ -x "$d/postgres" ] && echo "$d"; done | sort -V | tail -1; }
missing=()
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
[ -n "$(pg_bin)" ] || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-liberation)
[ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
[ -x /usr/bin/aiosmtpd ] || missing+=(python3-aiosmtpd)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
# A real OpenLDAP for the LDAP sign-in tests (they start their own slapd on a free port), and the libldap that .NET's LDAP client calls.
[ -x /usr/sbin/slapd ] && [ -x /usr/bin/ldapadd ] || missing+=(slapd ldap-utils)
ls /usr/lib/*/libldap*.so.* >/dev/null 2>&1 || missing+=(libldap-2.5-0)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "error: ${missing[*]} missing and no root to install it (apt-get install ${missing[*]})" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The package starts a system service on :9090; tests run their own instances on free ports.
  ($SUDO systemctl stop prometheus 2>/dev/null || $SUDO service prometheus stop 2>/dev/null || true) >/dev/null 2>&1
  # Likewise slapd's own service on :389 (its package may start one).
  ($SUDO systemctl disable --now slapd 2>/dev/null || $SUDO service slapd stop 2>/dev/null || true) >/dev/null 2>&1
  # Likewise the registry's service on :5000 (tests start their own registries).
  ($SUDO systemctl disable --now docker-registry 2>/dev/null || $SUDO service docker-registry stop 2>/dev/null || true) >/dev/null 2>&1
  # Likewise the package's default cluster on :5432: the run starts its own server below.
  if [[ " ${missing[*]} " == *" postgresql "* ]]; then
    ($SUDO systemctl disable --now postgresql 2>/dev/null || $SUDO service postgresql stop 2>/dev/null || true) >/dev/null 2>&1
  fi
fi

# --- Build ------------------------------------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet restore Mizzen.slnx --nologo -v quiet
dotnet build Mizzen.slnx --no-restore --nologo -v quiet -clp:ErrorsOnly

# --- Test -------------------------------------------------------------------------------------------------
# One PostgreSQL for the whole run, shared by every test process through MIZZEN_TEST_POSTGRES (an admin connection string;
# each test creates its own database on it, see tests/Mizzen.Testing/Postgres/TestPostgres.cs). PostgreSQL refuses to run as
# root, so as root it runs as the postgres user. Test data is thrown away: no fsync. Stopped and deleted when the script exits.
pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/mizzen-test-pg.XXXXXX")
as_pg=()
if [ "$(id -u)" -eq 0 ]; then as_pg=(setpriv --reuid=postgres --regid=postgres --clear-groups); chown postgres: "$pg_dir"; fi
stop_postgres() {
  "${as_pg[@]}" "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_postgres EXIT
"${as_pg[@]}" "$(pg_bin)/initdb" -D "$pg_dir/data" -U mizzen --auth=trust -E UTF8 --no-sync --no-instructions >/dev/null
pg_port=""
for _ in $(seq 1 20); do
  port=$((20000 + RANDOM % 40000))
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue  # taken
  if "${as_pg[@]}" "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start -o "-p $port -k $pg_dir \
      -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500 \
      -c shared_buffers=128MB" >/dev/null; then pg_port=$port; break; fi
done
if [ -z "$pg_port" ]; then echo "error: the test PostgreSQL did not start:" >&2; cat "$pg_dir/server.log" >&2; exit 1; fi
export MIZZEN_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=mizzen;Database=postgres;Pooling=true;Maximum Pool Size=20;Timeout=15;Command Timeout=60"
echo "test PostgreSQL: $("$(pg_bin)/postgres" --version) on 127.0.0.1:$pg_port" >&2

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
