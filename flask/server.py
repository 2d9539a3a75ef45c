"""The tutorial's app: one image, deployed once per version; VERSION tells the versions apart.

GET /         -> "Hello, World!"
GET /version  -> the VERSION environment variable (e.g. "v1")

In the image gunicorn serves `server:app` (see Dockerfile). `python3 server.py` runs the same app on Werkzeug's
server for local use: PORT (default 8080) and HOST (default 0.0.0.0), never in debug mode.
"""

import os

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"


@app.get("/version")
def version():
    # Read per request so a test can't be fooled by a value captured at import time.
    return os.environ.get("VERSION", "unknown")


@app.get("/healthz")
def healthz():
    return "ok"


if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "0.0.0.0"),
        port=int(os.environ.get("PORT", "8080")),
        debug=False,
    )
