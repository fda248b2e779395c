// Where the real clients are: the Claude Code CLI (npm @anthropic-ai/claude-code, a native binary) and the
// official Python SDKs. Tests that need one that is not installed skip with a message saying how to get it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFile } from "node:child_process";
import { ROOT } from "../support/plugin";

/** The Claude Code binary: $CLAUDE_CODE_BIN, else node_modules/.bin/claude (npm devDependency). */
export function claudeCodeBinary(): string | null {
  const candidates = [process.env.CLAUDE_CODE_BIN, path.join(ROOT, "node_modules", ".bin", "claude")];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  return null;
}

export const CLAUDE_CODE_MISSING = "Claude Code CLI not installed: `npm install` (devDependency @anthropic-ai/claude-code) or set CLAUDE_CODE_BIN";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The --output-format json result, when stdout held one. */
  json: any;
}

/**
 * Runs `claude` offline against `baseUrl` in `cwd` with a private HOME: no telemetry, no update check, a fake
 * client key, nothing inherited from the caller's Anthropic settings, and a hard time limit.
 */
export function runClaudeCode(bin: string, baseUrl: string, cwd: string, home: string, args: string[], timeoutMs = 120_000): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: home, TMPDIR: os.tmpdir(), LANG: "C.UTF-8",
    ANTHROPIC_BASE_URL: baseUrl, ANTHROPIC_API_KEY: "sk-ant-client-fake",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1", DISABLE_TELEMETRY: "1", DISABLE_AUTOUPDATER: "1",
    DISABLE_ERROR_REPORTING: "1", CLAUDE_CODE_DISABLE_TERMINAL_TITLE: "1",
  };
  return new Promise((resolve) => {
    execFile(bin, args, { cwd, env, timeout: timeoutMs, maxBuffer: 16 << 20, killSignal: "SIGKILL" }, (err, stdout, stderr) => {
      let json: any = null;
      try { json = JSON.parse(stdout); } catch { /* not JSON: the test reports stdout */ }
      resolve({ code: err ? ((err as any).code ?? null) : 0, stdout, stderr, json });
    });
  });
}

/** A fresh temporary directory (removed by the caller). */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
