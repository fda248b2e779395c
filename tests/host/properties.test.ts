// proxy_get_property / proxy_set_property: paths, encodings, availability by phase and context.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Status, parsePairs } from "../../host";
import { Shim, reqHeaders, text } from "./harness";

const i64 = (b: Uint8Array) => (b.length === 8 ? new DataView(b.buffer, b.byteOffset).getBigInt64(0, true) : null);

test("request.* while headers are live; Wasm tokens; route/cluster names top-level and xds.*; set_property round trip", async () => {
  const shim = await Shim.create({ now: () => 1_000_000_123n });
  const got: Record<string, unknown> = {};
  shim.on({
    request_headers: (abi) => {
      const p = (...path: string[]) => abi.getProperty(path);
      got.path = p("request", "path").text;
      got.urlPath = p("request", "url_path").text;
      got.query = p("request", "query").text;
      got.host = p("request", "host").text;
      got.scheme = p("request", "scheme").text;
      got.method = p("request", "method").text;
      got.id = p("request", "id").text;
      got.protocol = p("request", "protocol").text;
      got.time = i64(p("request", "time").bytes);
      got.ua = p("request", "headers", "user-agent").text;
      got.multi = p("request", "headers", "x-m").text;
      got.allHeaders = parsePairs(p("request", "headers").bytes).length;
      got.trailingNul = abi.getProperty(["request", "method", ""]).text;
      got.plugin = [p("plugin_name").text, p("plugin_root_id").text, p("plugin_vm_id").text];
      got.conn = i64(p("connection_id").bytes)! > 0n;
      got.route = [p("route_name").text, p("xds", "route_name").text, p("cluster_name").text, p("xds", "cluster_name").text];
      got.source = [p("source", "address").text, i64(p("source", "port").bytes)];
      got.dest = p("destination", "address").text;
      got.mtls = [...p("connection", "mtls").bytes];
      got.missing = [p("request", "nope").status, p("nope").status, p("response", "code").status];
      got.set = [abi.setProperty(["x_request_id"], "abc"), p("x_request_id").text, abi.setProperty(["a", "b"], "nested"), p("a", "b").text];
      return 0;
    },
    request_body: (abi) => {
      got.bodyPhase = [abi.getProperty(["request", "path"]).status, abi.getProperty(["x_request_id"]).text, i64(abi.getProperty(["request", "time"]).bytes)];
      return 0;
    },
    response_headers: (abi) => {
      got.respHeadersPhase = [abi.getProperty(["response", "code"]).status, abi.getProperty(["response", "code_details"]).text, abi.getProperty(["response", "headers", "x-up"]).text];
      return 0;
    },
    log: (abi) => {
      got.log = [
        i64(abi.getProperty(["response", "code"]).bytes),
        abi.getProperty(["request", "path"]).text,
        i64(abi.getProperty(["request", "duration"]).bytes),
        i64(abi.getProperty(["response", "size"]).bytes),
      ];
    },
    configure: (abi) => {
      got.root = [abi.getProperty(["plugin_name"]).text, abi.getProperty(["request", "path"]).status, abi.setProperty(["k"], "v"), abi.getProperty(["route_name"]).text];
      return 1;
    },
  });
  const p = shim.vm.startPlugin({ configuration: "", name: "ai-proxy", rootId: "root-a", properties: { route_name: "r1", "xds.cluster_name": "c1" } });
  await p.exchange({
    request: { headers: reqHeaders([["user-agent", "ua/1"], ["x-m", "1"], ["x-m", "2"], ["x-request-id", "rid-1"]], "/v1/chat?stream=true&a=b", "PUT"), body: "x" },
    upstream: () => ({ status: 201, headers: [["x-up", "u"]], body: "hello" }),
    properties: { "source.address": "10.0.0.1:4242" },
  });
  assert.deepEqual(got.root, ["ai-proxy", Status.NotFound, Status.NotFound, "r1"]);
  assert.equal(got.path, "/v1/chat?stream=true&a=b");
  assert.equal(got.urlPath, "/v1/chat");
  assert.equal(got.query, "stream=true&a=b");
  assert.equal(got.host, "client.example");
  assert.equal(got.scheme, "http");
  assert.equal(got.method, "PUT");
  assert.equal(got.id, "rid-1");
  assert.equal(got.protocol, "HTTP/1.1");
  assert.equal(got.time, 1_000_000_123n);
  assert.equal(got.ua, "ua/1");
  assert.equal(got.multi, "1,2");
  assert.equal(got.allHeaders, 10);
  assert.equal(got.trailingNul, "PUT");
  assert.deepEqual(got.plugin, ["ai-proxy", "root-a", ""]);
  assert.equal(got.conn, true);
  assert.deepEqual(got.route, ["r1", "r1", "c1", "c1"]);
  assert.deepEqual(got.source, ["10.0.0.1:4242", 4242n]);
  assert.equal(got.dest, "127.0.0.1:10000");
  assert.deepEqual(got.mtls, [0]);
  assert.deepEqual(got.missing, [Status.NotFound, Status.NotFound, Status.NotFound]);
  assert.deepEqual(got.set, [Status.Ok, "abc", Status.Ok, "nested"]);
  // After headers continued: header-derived request attributes are gone; filter state and time remain.
  assert.deepEqual(got.bodyPhase, [Status.NotFound, "abc", 1_000_000_123n]);
  // response.code is charged after the encoder filters: absent in on_response_headers for upstream responses.
  assert.deepEqual(got.respHeadersPhase, [Status.NotFound, "via_upstream", "u"]);
  assert.deepEqual(got.log, [201n, "/v1/chat?stream=true&a=b", 0n, 5n]);
});

test("response.code is known in on_response_headers for a local reply; Higress buffer-limit properties apply", async () => {
  const shim = await Shim.create();
  const got: unknown[] = [];
  shim.on({
    request_headers: (abi) => {
      abi.setProperty(["set_decoder_buffer_limit"], "3");
      return 0;
    },
    request_body: () => 1,
    response_headers: (abi) => void got.push(i64(abi.getProperty(["response", "code"]).bytes), abi.getProperty(["response", "code_details"]).text),
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  const r = await p.exchange({ request: { headers: reqHeaders(), body: ["ab", "cd"] } });
  assert.equal(r.status, 413); // limit lowered to 3 bytes by the plugin
  assert.deepEqual(got, [413n, "request_payload_too_large"]);
  assert.equal(text(r.body), "Payload Too Large");
});
