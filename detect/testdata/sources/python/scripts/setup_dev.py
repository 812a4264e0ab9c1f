#!/usr/bin/env python3
"""Create the development venv and install the project into it."""
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"


def main() -> int:
    if not VENV.exists():
        subprocess.run([sys.executable, "-m", "venv", "--upgrade-deps", ".venv"], check=True, cwd=ROOT)
    subprocess.run([".venv/bin/pip", "install", "-e", ".[dev]"], check=True, cwd=ROOT)
    return 0


def docs_env() -> None:
    venv.create("build/docs-venv", with_pip=True)


if __name__ == "__main__":
    sys.exit(main())
