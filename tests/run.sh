#!/bin/sh
# The test command: installs what the tests need (Debian's chromium for the browser tests, the test extra) and runs
# the whole suite. `.ci/run` runs exactly this.
set -e
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
pip install -q -e '.[test]'
python -m pytest "$@"
