from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/health")
def health():
    return jsonify(status="ok", version="1.4.2")


@app.get("/api/version")
def version():
    return jsonify(version="1.4.2", commit="3f2c1ab")
