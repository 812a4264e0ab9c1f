"""Nox sessions."""
import nox

PYTHON_VERSIONS = ["3.10", "3.11", "3.12"]
nox.options.default_venv_backend = "uv"
nox.options.sessions = ["tests", "lint"]


@nox.session(python=PYTHON_VERSIONS)
def tests(session: nox.Session) -> None:
    # session.run("python", "-m", "venv", "commented")
    session.install("-e", ".[test]")
    session.run("pytest", "--cov", *session.posargs)


@nox.session(python="3.12", reuse_venv=True)
def lint(session):
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("npm", "run", "lint", external=True)


@nox.session
@nox.parametrize("python", ["3.13", "pypy3.10"])
def compat(session):
    session.run('''pytest''')
