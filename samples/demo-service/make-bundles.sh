#!/bin/sh
# Builds samples/demo-service once and writes the first-run demo's three release bundles (local/bundle artifacts):
#   <out>/demo-v1.tar.gz  VERSION=v1, healthy
#   <out>/demo-v2.tar.gz  VERSION=v2, healthy
#   <out>/demo-v3.tar.gz  VERSION=v3, FAULT_RATE=0.1 and EXTRA_LATENCY_MS=150 (the canary that should fail)
# Each bundle's Procfile sets its release's env, so a deploy needs no extra env. Usage: make-bundles.sh <out-dir>
set -eu
out="${1:?usage: make-bundles.sh <out-dir>}"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet build "$here/demo-service.csproj" -c Release -o "$work/app" --nologo -v q
bundle() {
  name="$1"; env="$2"
  rm -rf "$work/$name" && cp -R "$work/app" "$work/$name"
  printf 'web: env %s dotnet demo-service.dll\n' "$env" > "$work/$name/Procfile"
  tar -czf "$out/demo-$name.tar.gz" -C "$work/$name" .
}
bundle v1 "VERSION=v1"
bundle v2 "VERSION=v2"
bundle v3 "VERSION=v3 FAULT_RATE=0.1 EXTRA_LATENCY_MS=150"
echo "bundles written to $out"
