// Reads a chat completion stream from the official OpenAI SDK the way an application does: the text deltas, the
// finish reason, and the usage chunk when one came.
import OpenAI from "openai";

export interface ReadChatStream {
  /** Every non-empty content delta, in order. */
  deltas: string[];
  /** The deltas joined. */
  text: string;
  /** The last finish_reason seen ("" when none). */
  finish: string;
  usage: OpenAI.CompletionUsage | undefined;
}

export async function readChatStream(stream: AsyncIterable<OpenAI.ChatCompletionChunk>): Promise<ReadChatStream> {
  const out: ReadChatStream = { deltas: [], text: "", finish: "", usage: undefined };
  for await (const c of stream) {
    const content = c.choices[0]?.delta?.content;
    if (content) out.deltas.push(content);
    if (c.choices[0]?.finish_reason) out.finish = c.choices[0].finish_reason;
    if (c.usage) out.usage = c.usage;
  }
  out.text = out.deltas.join("");
  return out;
}
