from invoke import task

VENV_BIN = ".venv/bin"


@task
def bootstrap(c):
    c.run("python3 -m venv .venv")
    c.run(".venv/bin/pip install -r requirements-dev.txt")


@task
def test(c):
    c.run(".venv/bin/pytest -q")


@task
def lint(c):
    c.run(f"{VENV_BIN}/ruff check .")
