#!/usr/bin/env bash
# `make audit`: check every pinned dependency of requirements.lock against the vulnerability
# database pip-audit queries (PyPI's advisories, OSV). Not part of `make test`: it needs that
# database online. When it cannot be reached, say so plainly and fail (exit 2), so a green
# audit is never claimed without one.
set -uo pipefail
cd "$(dirname "$0")/.."

version=$(grep -oE '"pip-audit==[^"]+"' pyproject.toml | tr -d '"' | cut -d= -f3)
if [[ -x .venv/bin/pip-audit ]]; then
  audit=(.venv/bin/pip-audit)
elif [[ -x .venv/bin/uv ]]; then
  audit=(.venv/bin/uv tool run --quiet --from "pip-audit==${version}" pip-audit)
else
  echo "make audit: pip-audit ${version} is not installed; run 'make install' first." >&2
  exit 2
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# --no-deps/--disable-pip: audit exactly the pinned lock, without resolving or installing.
"${audit[@]}" --requirement requirements.lock --no-deps --disable-pip --progress-spinner off \
  --timeout 20 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
skipped=$(grep -c "could not be audited" "$log")
if [[ $skipped -gt 0 ]]; then
  # pip-audit skips (and still exits 0) every package whose advisories it cannot fetch.
  echo >&2
  echo "make audit: FAILED — pip-audit could not reach its vulnerability database (PyPI/OSV):" >&2
  echo "            ${skipped} pinned package(s) were NOT audited. Run 'make audit' on a machine" >&2
  echo "            with Internet access to the vulnerability database." >&2
  exit 2
fi
if [[ $status -eq 0 ]]; then
  echo "make audit: no known vulnerability in requirements.lock."
  exit 0
fi
if grep -qiE "connection|resolve|timed? ?out|network|unreachable|proxy|ssl|max retries|HTTPError|name or service" "$log"; then
  echo >&2
  echo "make audit: FAILED — pip-audit could not reach its vulnerability database (PyPI/OSV)." >&2
  echo "            Nothing was audited. Run 'make audit' on a machine with Internet access." >&2
  exit 2
fi
echo "make audit: pip-audit found known vulnerabilities (above) or failed (exit $status)." >&2
exit "$status"
