// One Envoy configuration generator for `npm start`, the end-to-end tests and the benchmark: plugin JSON and
// provider hosts in, an Envoy bootstrap out (listener, the Wasm filter, one cluster per provider host named after
// that host so the plugin's callouts reach it, admin with stats).
import { statsConfig } from "./stats-tags";

export interface EnvoyBootstrapOptions {
  /** Path of the plugin module; null for an Envoy without the Wasm filter (bench baseline). */
  wasm: string | null;
  /** The plugin configuration exactly as Envoy's `configuration` carries it. */
  configuration: string;
  listenPort: number;
  adminPort: number;
  listenAddress?: string;
  /**
   * Provider host (as the plugin writes :authority, e.g. "api.openai.com") → upstream base URL
   * ("http://127.0.0.1:8080" for a mock, "https://api.openai.com" for the real provider). Each becomes a cluster
   * named after the host and a virtual host matching it.
   */
  upstreams: Record<string, string>;
  /**
   * Request Host → route name (the `route_name` the plugin's `_match_route_` rules match; Higress names routes after
   * ingresses). A host that is also an upstream gets the name on its route; another gets a route of its own, which
   * answers 404 unless the plugin sends the request to a provider.
   */
  routes?: Record<string, string>;
  /** Extra cluster names → URL (e.g. Higress-style `outbound|80||svc` for the context file). */
  clusters?: Record<string, string>;
  /** Envoy >= 1.35: StopIteration from a header callback is honoured (default true). */
  allowOnHeadersStopIteration?: boolean;
  /** Route timeout in seconds (default 600: LLM answers are slow). */
  routeTimeoutSeconds?: number;
  /** The catch-all route: a 404 (default), or a cluster every unmatched request goes to. */
  defaultCluster?: string;
  vmId?: string;
  /** Write Envoy's access log (ACCESS_LOG_FORMAT: model, consumer, tokens, cost from the plugin) to this file. */
  accessLogPath?: string;
}

/**
 * An access-log line with what the plugin knows about the request: it sets filter state `wasm.ai_proxy.*`
 * (model, consumer, tag, user, input_tokens, output_tokens, cost_usd, cache). envoy/envoy.yaml carries the same.
 */
export const ACCESS_LOG_FORMAT = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%\" %RESPONSE_CODE% %DURATION%ms " +
  ["model", "consumer", "tag", "user", "input_tokens", "output_tokens", "cost_usd", "cache"].map((f) => `${f}=%FILTER_STATE(wasm.ai_proxy.${f}:PLAIN)%`).join(" ") + "\n";

export interface ClusterTarget {
  host: string;
  port: number;
  tls: boolean;
}

export function clusterTarget(url: string): ClusterTarget {
  const u = new URL(url);
  const tls = u.protocol === "https:";
  return { host: u.hostname.replace(/^\[|\]$/g, ""), port: u.port ? Number(u.port) : tls ? 443 : 80, tls };
}

function cluster(name: string, url: string, timeoutSeconds: number): object {
  const t = clusterTarget(url);
  const ip = /^[0-9.]+$/.test(t.host) || t.host.includes(":");
  const c: Record<string, unknown> = {
    name,
    type: ip ? "STATIC" : "LOGICAL_DNS",
    dns_lookup_family: "V4_ONLY",
    connect_timeout: "10s",
    load_assignment: {
      cluster_name: name,
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: t.host, port_value: t.port } } } }] }],
    },
    // Mocks answer slowly on purpose (stalls) and LLM streams idle for long: no idle cut below the route timeout.
    typed_extension_protocol_options: {
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
        "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
        common_http_protocol_options: { idle_timeout: `${timeoutSeconds}s` },
        explicit_http_config: { http_protocol_options: {} },
      },
    },
  };
  if (t.tls) {
    c.transport_socket = {
      name: "envoy.transport_sockets.tls",
      typed_config: {
        "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
        sni: t.host,
      },
    };
  }
  return c;
}

/**
 * The plugin configuration for a filter with (or without) Envoy's allow_on_headers_stop_iteration: the plugin's
 * top-level `allowOnHeadersStopIteration` follows the filter setting unless the configuration states it.
 */
export function withHeaderStopSetting(configuration: string, allow: boolean): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(configuration);
  } catch {
    return configuration; // the plugin refuses it with its own message
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed) || "allowOnHeadersStopIteration" in parsed) return configuration;
  return JSON.stringify({ ...parsed, allowOnHeadersStopIteration: allow });
}

export function wasmFilter(o: { wasm: string; configuration: string; allowOnHeadersStopIteration?: boolean; vmId?: string }): object {
  return {
    name: "envoy.filters.http.wasm",
    typed_config: {
      "@type": "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
      config: {
        name: "ai-proxy",
        root_id: "ai-proxy",
        allow_on_headers_stop_iteration: o.allowOnHeadersStopIteration ?? true,
        failure_policy: "FAIL_RELOAD",
        vm_config: {
          vm_id: o.vmId ?? "ai-proxy",
          runtime: "envoy.wasm.runtime.v8",
          code: { local: { filename: o.wasm } },
        },
        configuration: {
          "@type": "type.googleapis.com/google.protobuf.StringValue",
          value: withHeaderStopSetting(o.configuration, o.allowOnHeadersStopIteration ?? true),
        },
      },
    },
  };
}

/** The bootstrap as a JSON-serialisable object (Envoy reads it with `-c FILE.json`). */
export function envoyBootstrap(o: EnvoyBootstrapOptions): object {
  const timeout = o.routeTimeoutSeconds ?? 600;
  const virtualHosts: object[] = [];
  const clusters: object[] = [];
  for (const [host, url] of Object.entries(o.upstreams)) {
    const t = clusterTarget(url);
    const domains = Array.from(new Set([host, `${host}:443`, `${host}:80`, `${host}:${t.port}`]));
    const named = o.routes?.[host] !== undefined ? { name: o.routes[host] } : {};
    virtualHosts.push({ name: host, domains, routes: [{ ...named, match: { prefix: "/" }, route: { cluster: host, timeout: `${timeout}s` } }] });
    clusters.push(cluster(host, url, timeout));
  }
  for (const [host, name] of Object.entries(o.routes ?? {})) {
    if (host in o.upstreams) continue;
    virtualHosts.push({
      name: `route ${host}`, domains: [host, `${host}:*`],
      routes: [{ name, match: { prefix: "/" }, direct_response: { status: 404, body: { inline_string: "no AI provider route" } } }],
    });
  }
  for (const [name, url] of Object.entries(o.clusters ?? {})) clusters.push(cluster(name, url, timeout));
  virtualHosts.push({
    name: "gateway",
    domains: ["*"],
    routes: [{
      match: { prefix: "/" },
      // Reached only when the plugin leaves :authority as the client sent it (it answers locally, or no
      // provider applies to the request).
      ...(o.defaultCluster
        ? { route: { cluster: o.defaultCluster, timeout: `${timeout}s` } }
        : { direct_response: { status: 404, body: { inline_string: "no AI provider route" } } }),
    }],
  });
  const httpFilters: object[] = [];
  if (o.wasm !== null) httpFilters.push(wasmFilter({ wasm: o.wasm, configuration: o.configuration, allowOnHeadersStopIteration: o.allowOnHeadersStopIteration, vmId: o.vmId }));
  httpFilters.push({ name: "envoy.filters.http.router", typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router" } });
  return {
    static_resources: {
      listeners: [{
        name: "ai_gateway",
        address: { socket_address: { address: o.listenAddress ?? "127.0.0.1", port_value: o.listenPort } },
        // Claude Code requests reach several MB; bodies are buffered up to this.
        per_connection_buffer_limit_bytes: 33554432,
        filter_chains: [{
          filters: [{
            name: "envoy.filters.network.http_connection_manager",
            typed_config: {
              "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
              stat_prefix: "ai_gateway",
              ...(o.accessLogPath ? {
                access_log: [{
                  name: "envoy.access_loggers.file",
                  typed_config: {
                    "@type": "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog",
                    path: o.accessLogPath,
                    log_format: { text_format_source: { inline_string: ACCESS_LOG_FORMAT } },
                  },
                }],
              } : {}),
              stream_idle_timeout: `${timeout}s`,
              route_config: { name: "ai_routes", virtual_hosts: virtualHosts },
              http_filters: httpFilters,
            },
          }],
        }],
      }],
      clusters,
    },
    admin: { address: { socket_address: { address: "127.0.0.1", port_value: o.adminPort } } },
    // The plugin's dimensional metrics as Prometheus labels (stats-tags.ts).
    stats_config: statsConfig(),
    // Multi-megabyte request bodies are buffered in Envoy; without a release, tcmalloc keeps the pages of the largest
    // burst of them for good and RSS climbs in steps with each new high-water mark (README, Robustness, "Memory").
    memory_allocator_manager: { bytes_to_release: 16777216, memory_release_interval: "1s" },
  };
}
