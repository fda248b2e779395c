// What every OpenAI embeddings request converted for a provider's own schema checks first
// (https://platform.openai.com/docs/api-reference/embeddings/create): a JSON object; `model` (mapped, required: the
// provider's URL or body names it); `input` a string or a non-empty array of strings (token-id inputs have no
// counterpart: these providers embed text); `dimensions` an integer of at least 1; `encoding_format` float or base64
// (TranslateOptions.embeddingsBase64, honoured by writeEmbedding on the way back). Fields a translator does not read
// are left out and announced.

import { JsonValue } from "../json/value";
import { ConversionStart, readModel, readRequestBody, RequestResult, TranslateOptions } from "./common";
import { keyIn, kindName } from "./util";

/** The checked request (`root`, `result` with its models and dropped fields) or its `failure`; `upstream` names who embeds. */
export function startEmbeddings(body: Uint8Array, opts: TranslateOptions, upstream: string, known: Array<string>): ConversionStart {
  const out = new ConversionStart();
  const read = readRequestBody(body);
  const root = read.root;
  if (root === null) {
    out.failure = read.failure;
    return out;
  }
  const problem = embeddingsProblem(root, opts, out.result, upstream);
  if (problem.length) {
    out.failure = RequestResult.failure(400, problem);
    return out;
  }
  const it = root.iter();
  while (it.next()) if (!it.value.isNull() && !keyIn(it.key!, known)) out.result.drop(it.key!.str());
  out.root = root;
  return out;
}

function embeddingsProblem(root: JsonValue, opts: TranslateOptions, res: RequestResult, upstream: string): string {
  const modelProblem = readModel(root, opts, res);
  if (modelProblem.length) return modelProblem;
  if (res.upstreamModel.length == 0) return "model: field required";
  const input = root.get("input");
  if (input == null || !(input.isString() || (input.isArray() && input.length > 0))) {
    return "input: must be a string or a non-empty array of strings, got " + kindName(input);
  }
  if (input.isArray()) {
    const it = input.iter();
    while (it.next()) {
      if (!it.value.isString()) return "input." + it.index.toString() + ": must be a string (" + upstream + " embeds text, not token ids), got " + kindName(it.value);
    }
  }
  const dims = root.get("dimensions");
  if (dims != null && !dims.isNull() && (!dims.isNumber() || !dims.isInteger() || dims.asI64(0) < 1)) return "dimensions: must be an integer of at least 1";
  const format = root.get("encoding_format");
  opts.embeddingsBase64 = false;
  if (format == null || format.isNull() || format.equals("float")) return "";
  if (format.equals("base64")) {
    opts.embeddingsBase64 = true;
    return "";
  }
  return "encoding_format: must be float or base64";
}
