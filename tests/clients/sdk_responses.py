# The official Python `openai` SDK's Responses API as a user would call it, against the gateway at argv[1].
# Prints one JSON object with what the SDK returned; tests/clients/sdk-responses-python.test.ts checks it.
import json
import sys

import openai
from pydantic import BaseModel

base, scenario = sys.argv[1], sys.argv[2]
c = openai.OpenAI(base_url=base + "/v1", api_key="sk-client", max_retries=0)
TOOLS = [{"type": "function", "name": "get_weather", "description": "Current weather in a city",
          "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"], "additionalProperties": False},
          "strict": True}]


class Weather(BaseModel):
    city: str
    celsius: float


def reasoning_of(r):
    return next((s.text for o in r.output if o.type == "reasoning" for s in o.summary), None)


out = {}
if scenario == "text":
    r = c.responses.create(model="gpt-4.1", instructions="Be friendly.", input="Hi!")
    out = {"text": r.output_text, "status": r.status, "reasoning": reasoning_of(r), "total_tokens": r.usage.total_tokens}
elif scenario == "tools":
    first = c.responses.create(model="gpt-4.1", input="Weather in Paris?", tools=TOOLS)
    call = next(o for o in first.output if o.type == "function_call")
    history = [{"role": "user", "content": "Weather in Paris?"}] + [o.model_dump(exclude_none=True) for o in first.output]
    history.append({"type": "function_call_output", "call_id": call.call_id, "output": "14 degrees"})
    second = c.responses.create(model="gpt-4.1", input=history, tools=TOOLS)
    out = {"name": call.name, "arguments": json.loads(call.arguments), "call_id": call.call_id, "text": second.output_text}
elif scenario == "parse":
    r = c.responses.parse(model="gpt-4.1", input="Weather in Paris as JSON", text_format=Weather)
    out = {"parsed": r.output_parsed.model_dump(), "reasoning": reasoning_of(r)}
elif scenario == "stream":
    text, types = "", set()
    with c.responses.stream(model="gpt-4.1", input="Hi!") as s:
        for e in s:
            types.add(e.type)
            if e.type == "response.output_text.delta":
                text += e.delta
        final = s.get_final_response()
    out = {"text": text, "final": final.output_text, "types": sorted(types), "total_tokens": final.usage.total_tokens}
elif scenario == "stream-tools":
    with c.responses.stream(model="gpt-4.1", input="Weather in Paris?", tools=TOOLS) as s:
        final = s.get_final_response()
    call = next(o for o in final.output if o.type == "function_call")
    out = {"name": call.name, "arguments": json.loads(call.arguments)}
elif scenario == "stateful":
    try:
        c.responses.create(model="gpt-4.1", previous_response_id="resp_1", input="And then?")
        out = {"error": None}
    except openai.BadRequestError as e:
        out = {"status": e.status_code, "message": e.message}

print(json.dumps(out))
