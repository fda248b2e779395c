// Image URLs in an OpenAI chat request to a provider that takes images inline only as far as Higress is concerned
// (Gemini: Higress's ai-proxy fetches them and sends inlineData): the plugin fetches each http(s) image URL with an
// HTTP callout while the request body waits at its end, and the translator sends the fetched bytes inline
// (TranslateOptions.fetchedImages). Bounded: at most MAX_IMAGES distinct URLs per request (later ones stay URLs),
// each answer at most the request body limit, all of them together as well, TIMEOUT_MS each. A fetch that fails (an
// error status, a reset, too large, not an image) leaves that URL as Gemini's fileData: Gemini fetches public URLs
// itself (https://ai.google.dev/gemini-api/docs/file-input-methods), and answers in its own words when it cannot.
// The callout goes to the request's own cluster with the image's host as :authority, as Higress sends it: only a
// cluster that can reach any host (Envoy's dynamic forward proxy) fetches real images; elsewhere the fetch fails and
// the URL goes on as fileData. Logs name the host only (a signed URL's query is a credential).
import { BufferType, dispatchHttpCall, getBuffer, getHeader, HeaderPair, HttpCallHandler, logWarn, MapType } from "../abi";
import { base64EncodeBytes } from "../crypto/base64";
import { parseJson } from "../json/parse";
import { FetchedImage } from "../translate/common";
import { parseUrl } from "../providers/resolve";

const MAX_IMAGES = 8;
const TIMEOUT_MS: u32 = 30000;

/** The distinct http(s) image URLs of an OpenAI chat body's user messages, in order, at most MAX_IMAGES. */
export function imageUrlsOf(body: Uint8Array): Array<string> {
  const urls = new Array<string>();
  if (!containsAscii(body, "\"image_url\"")) return urls; // most requests: no second parse
  const root = parseJson(body).value;
  const messages = root !== null && root.isObject() ? root.get("messages") : null;
  if (messages === null || !messages.isArray()) return urls;
  const it = messages.iter();
  while (it.next()) {
    const m = it.value;
    const content = m.isObject() ? m.get("content") : null;
    if (content === null || !content.isArray()) continue;
    const parts = content.iter();
    while (parts.next()) {
      const p = parts.value;
      if (!p.isObject() || !p.memberEquals("type", "image_url")) continue;
      const iu = p.get("image_url");
      const u = iu !== null && iu.isObject() ? iu.get("url") : iu;
      if (u === null || !u.isString()) continue;
      const url = u.str();
      if (!(url.startsWith("https://") || url.startsWith("http://")) || urls.includes(url)) continue;
      if (urls.length == MAX_IMAGES) return urls;
      urls.push(url);
    }
  }
  return urls;
}

function containsAscii(b: Uint8Array, s: string): bool {
  const n = s.length;
  const first = <u8>s.charCodeAt(0);
  for (let i = 0; i + n <= b.length; i++) {
    if (b[i] != first) continue;
    let j = 1;
    while (j < n && b[i + j] == <u8>s.charCodeAt(j)) j++;
    if (j == n) return true;
  }
  return false;
}

/** The fetches of one request; `done` once every answer (or failure) is in. */
export class ImageFetch {
  images: Array<FetchedImage> = [];
  pending: i32 = 0;
  /** Bytes fetched so far (bounded by `maxBytes` together). */
  total: i32 = 0;
  constructor(public streamId: u32, public maxBytes: i32, public onDone: (streamId: u32) => void) {}

  get done(): bool { return this.pending == 0; }

  /** Starts one callout per URL through `cluster`; false when none could be sent (nothing to wait for). */
  start(urls: Array<string>, cluster: string): bool {
    for (let i = 0; i < urls.length; i++) {
      const u = parseUrl(urls[i]);
      const headers: Array<HeaderPair> = [
        new HeaderPair(":method", "GET"),
        new HeaderPair(":path", u.path.length > 0 ? u.path : "/"),
        new HeaderPair(":authority", u.authority),
        new HeaderPair("accept", "image/*"),
      ];
      const call = new ImageCall(this, urls[i], u.authority);
      if (dispatchHttpCall(cluster, headers, new Uint8Array(0), TIMEOUT_MS, call)) this.pending++;
      else logWarn("ai-proxy: image fetch from " + u.authority + " refused by the host (cluster \"" + cluster + "\"): the URL goes upstream as it is");
    }
    return this.pending > 0;
  }

  answered(): void {
    this.pending--;
    if (this.pending == 0) this.onDone(this.streamId);
  }
}

class ImageCall extends HttpCallHandler {
  constructor(public fetch: ImageFetch, public url: string, public host: string) {
    super();
    this.contextId = fetch.streamId;
  }

  onHttpCallResponse(token: u32, numHeaders: u32, bodySize: u32, numTrailers: u32): void {
    const f = this.fetch;
    const problem = this.read(numHeaders, bodySize);
    if (problem.length > 0) logWarn("ai-proxy: image fetch from " + this.host + " failed (" + problem + "): the URL goes upstream as it is");
    f.answered();
  }

  /** Records the image; the reason it is unusable otherwise. */
  private read(numHeaders: u32, bodySize: u32): string {
    const f = this.fetch;
    const status = numHeaders > 0 ? getHeader(MapType.HttpCallResponseHeaders, ":status") : null;
    if (status === null) return "reset or timeout";
    if (!status.startsWith("2")) return "HTTP " + status;
    if (bodySize == 0) return "empty body";
    if (<i64>bodySize + <i64>f.total > <i64>f.maxBytes) return "larger than " + f.maxBytes.toString() + " bytes";
    const buf = getBuffer(BufferType.HttpCallResponseBody, 0, bodySize);
    if (buf === null) return "no body";
    const bytes = Uint8Array.wrap(buf);
    const declared = getHeader(MapType.HttpCallResponseHeaders, "content-type");
    const mime = imageType(declared !== null ? declared : "", bytes);
    if (mime.length == 0) return "not an image";
    f.total += bytes.length;
    f.images.push(new FetchedImage(this.url, mime, base64EncodeBytes(bytes)));
    return "";
  }
}

/** The image's MIME type: the declared image/* type (parameters cut), else sniffed from its first bytes; "" if none. */
export function imageType(declared: string, b: Uint8Array): string {
  const semi = declared.indexOf(";");
  const d = (semi >= 0 ? declared.substring(0, semi) : declared).trim().toLowerCase();
  if (d.startsWith("image/")) return d;
  const n = b.length;
  if (n >= 8 && b[0] == 0x89 && b[1] == 0x50 && b[2] == 0x4E && b[3] == 0x47) return "image/png";
  if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return "image/jpeg";
  if (n >= 6 && b[0] == 0x47 && b[1] == 0x49 && b[2] == 0x46 && b[3] == 0x38) return "image/gif";
  if (n >= 12 && b[0] == 0x52 && b[1] == 0x49 && b[2] == 0x46 && b[3] == 0x46 && b[8] == 0x57 && b[9] == 0x45 && b[10] == 0x42 && b[11] == 0x50) return "image/webp";
  return "";
}
