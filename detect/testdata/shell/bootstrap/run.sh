#!/usr/bin/env bash
SCRIPT_DIR="$( cd -- "$( dirname -- "${BASH_SOURCE[0]}" )" &> /dev/null && pwd )"
source "$SCRIPT_DIR/.venv/bin/activate"
export FLASK_APP=app.py
"$SCRIPT_DIR/.venv/bin/python" -m flask db upgrade
exec gunicorn -w 4 app:app "$@"
