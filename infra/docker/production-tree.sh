#!/usr/bin/env bash
# Builds the file tree the production image runs: the runtime sources of every package, service
# and operator script, with production dependencies only.
#
#   infra/docker/production-tree.sh OUT_DIR [extra pnpm install flags, e.g. --offline --store-dir …]
#
# The Dockerfile runs it (OUT_DIR=/app), and so does infra/test/integration/production-tree.int.test.ts,
# which starts a service from the tree, because no Docker engine runs on the development machines:
# one script, so the test exercises exactly what the image gets.
#
# Why not `pnpm deploy --prod`: the services run their TypeScript sources directly (Node's type
# stripping, no build step), and Node refuses to strip types of files under node_modules
# (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING), which is where pnpm deploy puts the workspace
# packages. So the tree keeps the workspace layout (packages/ and services/ as directories that
# node_modules links to) and prunes instead: only runtime files are copied (no tests, READMEs,
# tool configs), and `pnpm install --prod` skips every devDependency (vitest, typescript, biome,
# testcontainers, drizzle-kit, …) against the same frozen lockfile.
set -euo pipefail

die() { printf 'production-tree: ERROR: %s\n' "$*" >&2; exit 1; }

(($# >= 1)) || die "usage: $0 OUT_DIR [pnpm install flags]"
ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)"
OUT="$1"
shift
[[ ! -e "$OUT" || -z "$(ls -A "$OUT")" ]] || die "$OUT exists and is not empty"
command -v pnpm >/dev/null || die "pnpm not found on PATH (. infra/node.sh puts it there)"
mkdir -p "$OUT"
OUT="$(cd -- "$OUT" && pwd -P)"

copy() {
  local path
  for path in "$@"; do
    mkdir -p "$OUT/$(dirname -- "$path")"
    cp -R -- "$ROOT/$path" "$OUT/$path"
  done
}

# Every workspace member's manifest (pnpm needs them all to honour the frozen lockfile) with its
# src/ and its built dist/ when it has one (the desk page, built by the member's own `build`
# script before this runs); then the patch the lockfile names, the operator scripts (migrate,
# topics, dlq) and the healthcheck.
mapfile -t members < <(cd "$ROOT" && pnpm ls --recursive --depth -1 --json \
  | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => { for (const p of JSON.parse(s)) console.log(p.path); });')
((${#members[@]} > 1)) || die "pnpm ls found no workspace members under $ROOT"
for dir in "${members[@]}"; do
  member="${dir#"$ROOT"}"
  member="${member#/}"
  member="${member:+$member/}"
  copy "${member}package.json"
  for part in src dist; do
    if [[ -d "$ROOT/$member$part" ]]; then copy "$member$part"; fi
  done
done
copy pnpm-lock.yaml pnpm-workspace.yaml infra/patches infra/scripts infra/docker/healthcheck.ts

cd "$OUT"
CI=true pnpm install --frozen-lockfile --prod --reporter=append-only "$@"
