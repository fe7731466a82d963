#!/usr/bin/env bash
# Install what the project needs. `install.sh python` makes .venv from requirements.lock and
# compiles translations; `install.sh system` adds Debian and npm packages for the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
PYTHON=${PYTHON:-python3.11}

python_deps() {
  if [ ! -x .venv/bin/python ]; then "$PYTHON" -m venv .venv; fi
  if [ ! -x .venv/bin/uv ]; then .venv/bin/pip install --quiet "uv==$UV_VERSION"; fi
  if [ ! -f .venv/.lock-stamp ] || ! cmp -s requirements.lock .venv/.lock-stamp; then
    .venv/bin/uv pip sync --quiet --python .venv/bin/python requirements.lock
    .venv/bin/pip install --quiet "uv==$UV_VERSION"
    cp requirements.lock .venv/.lock-stamp
  fi
  compile_messages
}

# msgfmt each catalogue newer than its compiled file (no Django start-up: `make run` stays quick).
compile_messages() {
  local po
  while IFS= read -r po; do
    if [ ! -f "${po%.po}.mo" ] || [ "$po" -nt "${po%.po}.mo" ]; then
      msgfmt --check-format -o "${po%.po}.mo" "$po"
    fi
  done < <(find locale -name '*.po')
}

# command that must exist -> Debian package that brings it
DEBIAN_PACKAGES=(
  "/usr/lib/postgresql:postgresql" "redis-server:redis-server" "/usr/bin/chromium:chromium"
  "msgfmt:gettext" "node:nodejs" "npm:npm" "java:default-jre-headless"
  "/usr/share/fonts/truetype/dejavu:fonts-dejavu-core" "/usr/sbin/nginx:nginx"
  "/usr/bin/systemd-analyze:systemd"
)
system_deps() {
  local missing=()
  for entry in "${DEBIAN_PACKAGES[@]}"; do
    local need=${entry%%:*} package=${entry##*:}
    if [[ $need == /* ]]; then [ -e "$need" ] && continue; else command -v "$need" >/dev/null && continue; fi
    missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = "0" ]; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "Missing Debian packages; install them with: sudo apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
  if [ ! -d node_modules ] || ! cmp -s package-lock.json node_modules/.package-lock-stamp; then
    npm ci --silent --no-audit --no-fund
    cp package-lock.json node_modules/.package-lock-stamp
  fi
}

case "${1:-python}" in
  python) python_deps ;;
  system) system_deps ;;
  all) system_deps; python_deps ;;
  *) echo "usage: $0 [python|system|all]" >&2; exit 2 ;;
esac
