#!/usr/bin/env bash
# Set up a local development environment.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VENV_DIR=${VENV_DIR:-.venv}
PYTHON=${PYTHON:-python3}

if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "error: $PYTHON not found" >&2
    exit 1
fi

[ ! -d "$VENV_DIR" ] && "$PYTHON" -m venv --prompt myapp "$VENV_DIR"
source "$VENV_DIR/bin/activate"

pip install --upgrade pip wheel
pip install -r requirements.txt \
    -r requirements-dev.txt
pip install -e ".[dev]"
pre-commit install

if [[ "$(uname)" == "Darwin" ]]; then
    brew install graphviz postgresql@16
else
    sudo apt-get update && sudo apt-get install -y --no-install-recommends \
        graphviz \
        libpq-dev
fi

npm ci --prefix frontend
echo "Done. Activate with: source $VENV_DIR/bin/activate"
echo "then run deactivate when finished"
