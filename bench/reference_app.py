"""The reference of the benchmark: a bare Flask route served by the same gunicorn setup."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def ok():
    """Answer with two bytes and nothing else."""
    return "ok"
