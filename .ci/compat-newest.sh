#!/usr/bin/env bash
# Compatibility leg: the same test suite on Node 24 (from the npm registry's `node` package) with the
# newest OpenTelemetry JS line (sdk-trace 3.x, sdk-node / instrumentation 0.300+), in a scratch copy of
# the working tree so the lock file and node_modules of the main leg are untouched.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
work=${COSTSPAN_COMPAT_DIR:-$src/.compat/tree}
rm -rf "$work"
mkdir -p "$work"
(cd "$src" && git ls-files -z -co --exclude-standard | grep -zv '^\.compat/' | tar --null -T - -cf -) | tar -xf - -C "$work"
cd "$work"
node "$src/.ci/compat-rewrite.mjs" "$work"
rm -f package-lock.json
npm install --no-audit --no-fund
export PATH="$work/node_modules/.bin:$PATH"
echo "compat leg runs on node $(node --version)"
case "$(node --version)" in v24.*) ;; *) echo "compat leg: expected Node 24" >&2; exit 1 ;; esac
npm run build
npm run typecheck
npm test
