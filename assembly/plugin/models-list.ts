// /v1/models for Anthropic clients on OpenAI-protocol providers: OpenAI's list
// ({"object":"list","data":[{"id","object":"model","created","owned_by"}]}) becomes Anthropic's
// ({"data":[{"type":"model","id","display_name","created_at"}],"has_more":false,"first_id","last_id"}),
// and a single model object likewise (https://docs.anthropic.com/en/api/models-list).
import { JsonValue, JsonWriter, parseJson } from "../json";
import { Protocol } from "../protocol/api";
import { clientErrorStatus, convertErrorBody } from "../protocol/errors";
import { ResponseTranslator, TranslateOptions } from "../translate";

/** Unix seconds → RFC 3339 UTC ("1970-01-01T00:00:00Z"). */
export function rfc3339(seconds: i64): string {
  if (seconds < 0) seconds = 0;
  const days = seconds / 86400;
  const rem = seconds % 86400;
  // Howard Hinnant's civil_from_days.
  const z = days + 719468;
  const era = z / 146097;
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  let y = yoe + era * 400;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const d = doy - (153 * mp + 2) / 5 + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) y += 1;
  return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(rem / 3600, 2) + ":" + pad((rem % 3600) / 60, 2) + ":" + pad(rem % 60, 2) + "Z";
}

function pad(v: i64, width: i32): string {
  let s = v.toString();
  while (s.length < width) s = "0" + s;
  return s;
}

function writeModel(w: JsonWriter, m: JsonValue): string {
  const idV = m.get("id");
  const id = idV !== null && idV.isString() ? idV.str() : "";
  const created = m.get("created");
  w.beginObject().fieldString("type", "model").fieldString("id", id).fieldString("display_name", id)
    .fieldString("created_at", rfc3339(created !== null && created.isNumber() ? created.asI64(0) : 0)).endObject();
  return id;
}

/** The Anthropic shape of an OpenAI models answer; null when it is not one. */
export function anthropicModels(body: Uint8Array): Uint8Array | null {
  const root = parseJson(body).value;
  if (root === null || !root.isObject()) return null;
  const data = root.get("data");
  const w = new JsonWriter(body.length + 64);
  if (data === null) {
    if (!root.has("id")) return null;
    writeModel(w, root);
    return w.take();
  }
  if (!data.isArray()) return null;
  w.beginObject().key("data").beginArray();
  let first = "", last = "";
  for (let i = 0, n = data.length; i < n; i++) {
    const m = data.at(i);
    if (m === null || !m.isObject()) continue;
    const id = writeModel(w, m);
    if (i == 0) first = id;
    last = id;
  }
  w.endArray().fieldBool("has_more", false);
  if (first.length > 0) w.fieldString("first_id", first).fieldString("last_id", last);
  w.endObject();
  return w.take();
}

export class ModelsListTranslator extends ResponseTranslator {
  constructor(opts: TranslateOptions) {
    super(Protocol.Anthropic, Protocol.OpenAI, opts, false);
  }
  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const out = anthropicModels(whole);
    return out === null ? whole : out;
  }
  clientStatus(status: i32): i32 {
    return status >= 200 && status < 300 ? status : clientErrorStatus(this.client, status);
  }
  error(status: i32, body: Uint8Array): Uint8Array {
    return convertErrorBody(this.client, status, body);
  }
}
