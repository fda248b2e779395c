# The official Python SDKs (anthropic, openai) as a user would call them, against the gateway at argv[1].
# Prints one JSON object with what the SDK returned; tests/clients/sdk-python.test.ts checks it.
import json
import sys

import anthropic
import openai

base, scenario = sys.argv[1], sys.argv[2]
SCHEMA = {"type": "object", "properties": {"city": {"type": "string"}, "celsius": {"type": "number"}},
          "required": ["city", "celsius"], "additionalProperties": False}
out = {}

if scenario.startswith("anthropic-"):
    c = anthropic.Anthropic(base_url=base, api_key="sk-ant-client", max_retries=0)
    if scenario == "anthropic-structured":
        raw = c.messages.with_raw_response.create(
            model="claude-opus-5-5", max_tokens=4096, system="You are a weather bot.",
            messages=[{"role": "user", "content": "Weather in Paris?"}, {"role": "system", "content": "Answer in JSON."}],
            thinking={"type": "adaptive"}, output_config={"effort": "high", "format": {"type": "json_schema", "schema": SCHEMA}},
            tools=[{"name": "get_weather", "description": "Current weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}, "strict": True}])
        msg = raw.parse()
        out = {"dropped": raw.headers.get("x-ai-proxy-dropped-params"), "stop_reason": msg.stop_reason,
               "types": [b.type for b in msg.content], "text": next(b.text for b in msg.content if b.type == "text"),
               "thinking": next((b.thinking for b in msg.content if b.type == "thinking"), None)}
    elif scenario == "anthropic-stop-stream":
        with c.messages.stream(model="claude-sonnet-4-5", max_tokens=100, stop_sequences=["###"],
                               messages=[{"role": "user", "content": "Count to three, then ###"}]) as s:
            text = "".join(s.text_stream)
            msg = s.get_final_message()
        out = {"text": text, "stop_reason": msg.stop_reason, "stop_sequence": msg.stop_sequence}
else:
    c = openai.OpenAI(base_url=base + "/v1", api_key="sk-openai-client", max_retries=0)
    if scenario == "openai-structured":
        raw = c.chat.completions.with_raw_response.create(
            model="gpt-5.2", temperature=0.2, logprobs=True, reasoning_effort="minimal", max_completion_tokens=4096,
            messages=[{"role": "developer", "content": "You are a weather bot."}, {"role": "user", "content": "Weather in Paris?"},
                      {"role": "system", "content": "Answer in JSON."}],
            response_format={"type": "json_schema", "json_schema": {"name": "weather", "strict": True, "schema": SCHEMA}})
        cc = raw.parse()
        ch = cc.choices[0]
        out = {"dropped": raw.headers.get("x-ai-proxy-dropped-params"), "finish_reason": ch.finish_reason,
               "content": ch.message.content, "logprobs": ch.logprobs,
               "reasoning": getattr(ch.message, "reasoning_content", None) or (ch.message.model_extra or {}).get("reasoning_content")}
    elif scenario == "openai-stop-stream":
        s = c.chat.completions.create(model="gpt-4o", stop=["###"], stream=True, stream_options={"include_usage": True},
                                      messages=[{"role": "user", "content": "Count to three, then ###"}])
        text, finish, usage = "", None, None
        for chunk in s:
            if chunk.usage:
                usage = chunk.usage.total_tokens
            for ch in chunk.choices:
                text += ch.delta.content or ""
                finish = ch.finish_reason or finish
        out = {"text": text, "finish_reason": finish, "total_tokens": usage}
    elif scenario == "openai-penalty":
        try:
            c.chat.completions.create(model="gpt-4o", frequency_penalty=0.5, messages=[{"role": "user", "content": "hi"}])
            out = {"error": None}
        except openai.BadRequestError as e:
            out = {"status": e.status_code, "message": e.message}

print(json.dumps(out))
