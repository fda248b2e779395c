#!/usr/bin/env node
// Thin launcher: the host is written in TypeScript and compiled to dist/ by `npm install` (prepare → build).
"use strict";
const path = require("path");
const fs = require("fs");
const cli = path.join(__dirname, "..", "dist", "host", "cli.js");
if (!fs.existsSync(cli)) {
  console.error("ai-proxy-wasm: dist/host/cli.js is missing; run `npm run build` in " + path.join(__dirname, ".."));
  process.exit(1);
}
require(cli).main(process.argv.slice(2)).then(
  (code) => { if (typeof code === "number" && code !== 0) process.exitCode = code; },
  (err) => { console.error(err && err.stack ? err.stack : String(err)); process.exit(1); }
);
