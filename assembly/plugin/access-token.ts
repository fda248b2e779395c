// An OAuth access token a provider's requests carry (`Authorization: Bearer …`), obtained by an HTTP callout
// (providers/module.ts tokenGrant: Vertex AI's service account) and cached in shared data until shortly before it
// expires, so every VM and worker uses the same token; a VM whose cache is empty or stale fetches a new one while its
// requests wait at the end of their bodies (the context-file machinery, context-file.ts).
import { getSharedData, nowMillis, setSharedData } from "../abi";
import { ProviderConfig } from "../config/provider-config";
import { TokenGrant } from "../providers/module";
import { jwtAssertion, readTokenAnswer, tokenRequestBody } from "../providers/google-oauth";
import { fnv1a } from "../resilience/shared-state";
import { ContextEntry, ContextSource, ensureContext } from "./context-file";

class TokenSource extends ContextSource {
  sharedKey: string;

  constructor(public grant: TokenGrant) {
    super();
    const a = grant.account;
    this.key = grant.key;
    this.sharedKey = "ai-proxy/v1/oauth/" + fnv1a(grant.key).toString(16);
    this.cluster = grant.cluster;
    this.authority = grant.authority;
    this.path = grant.path;
    this.method = "POST";
    this.contentType = "application/x-www-form-urlencoded";
    this.timeoutMs = grant.timeoutMs;
    this.what = "the access token request for " + a.clientEmail;
  }

  fresh(entry: ContextEntry): bool { return nowMillis() < entry.expiresAtMs; }

  /** Shared data holds "<usable until, ms>\n<token>", written by whichever VM fetched it last. */
  reuse(entry: ContextEntry): bool {
    const got = getSharedData(this.sharedKey);
    if (got === null || got.value === null) return false;
    const text = String.UTF8.decode(got.value!);
    const nl = text.indexOf("\n");
    if (nl <= 0) return false;
    const until = U64.parseInt(text.substring(0, nl));
    if (nowMillis() >= until) return false;
    entry.content = text.substring(nl + 1);
    entry.expiresAtMs = until;
    return entry.content.length > 0;
  }

  prepare(entry: ContextEntry): string {
    const a = this.grant.account;
    if (a.key === null) {
      entry.errorStatus = 500;
      return "the service account key of " + a.clientEmail + " is unusable: private_key " + a.keyError;
    }
    entry.errorStatus = 502; // from here on the token endpoint (or the way to it) is what fails
    this.body = tokenRequestBody(jwtAssertion(a, this.grant.scope, <i64>(nowMillis() / 1000)));
    return "";
  }

  accept(entry: ContextEntry, status: string, body: ArrayBuffer | null): string {
    const answer = readTokenAnswer(I32.parseInt(status), body !== null ? Uint8Array.wrap(body) : new Uint8Array(0));
    this.body = new Uint8Array(0);
    if (answer.error.length > 0) {
      return this.what + " failed: " + answer.error;
    }
    // Used until refreshAhead seconds before it expires (never less than half its life).
    let ahead = this.grant.refreshAheadSeconds;
    if (ahead * 2 > answer.expiresInSeconds) ahead = answer.expiresInSeconds / 2;
    entry.content = answer.token;
    entry.expiresAtMs = nowMillis() + <u64>((answer.expiresInSeconds - ahead) * 1000);
    const shared = entry.expiresAtMs.toString() + "\n" + answer.token;
    const current = getSharedData(this.sharedKey);
    setSharedData(this.sharedKey, String.UTF8.encode(shared), current !== null ? current.cas : 0);
    return "";
  }
}

/**
 * The access-token entry of `p`'s requests (fetch started when no usable token is cached), or null when the provider
 * takes no OAuth token. The entry is Ready, Pending (the request waits) or Failed (errorStatus, error).
 */
export function accessTokenFor(p: ProviderConfig, cache: Map<string, ContextEntry>, rootId: u32): ContextEntry | null {
  const row = p.row;
  const mod = row !== null ? row.module : null;
  const grant = mod !== null ? mod.tokenGrant(p) : null;
  if (grant === null) return null;
  const source = cache.has(grant.key) ? cache.get(grant.key).source : new TokenSource(grant);
  return ensureContext(cache, source, rootId);
}
