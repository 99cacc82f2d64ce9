#!/usr/bin/env bash
# npm-audit.sh runs `npm audit --omit=dev` on the UI's dependencies (what
# ships to browsers) and fails on any advisory. When the registry's audit
# endpoint cannot be used (a registry mirror without /-/npm/v1/security),
# it fails too, saying so: an audit that did not run is not a pass.
# NPM_AUDIT=off skips it explicitly, with a warning.
set -euo pipefail
cd "$(dirname "$0")/../web"
if [ "${NPM_AUDIT:-}" = off ]; then
	echo "npm audit: SKIPPED (NPM_AUDIT=off)" >&2
	exit 0
fi
set +e
report=$(npm audit --omit=dev --json 2>/dev/null)
rc=$?
set -e
if [ $rc -eq 0 ]; then
	echo "npm audit: no advisories for the production dependencies"
	exit 0
fi
# A real audit answers with a "vulnerabilities" object; anything else is the
# endpoint failing (a 405 from a mirror, no network, ...).
if ! node -e 'process.exit(JSON.parse(process.argv[1]).vulnerabilities ? 0 : 1)' "$report" 2>/dev/null; then
	why=$(node -e 'const r = JSON.parse(process.argv[1]); console.log(r.message || (r.error && (r.error.summary || r.error.code)) || "unknown error")' "$report" 2>/dev/null || echo "no JSON answer")
	echo "npm audit: could not run against $(npm config get registry): $why" >&2
	echo "npm audit: run it where the registry's audit endpoint is reachable, or set NPM_AUDIT=off to skip it" >&2
	exit 2
fi
npm audit --omit=dev || true
exit 1
