// Our build/ai-proxy.wasm in Higress's own plugin test host (github.com/higress-group/wasm-go pkg/test, the
// wazero-based emulator Higress's plugin unit tests run in): configurations load as Higress hands them over,
// requests are rewritten per provider, answers converted. Expected values come from the providers' API
// documentation, not from the plugin's output.
//
// Differences of that host from Envoy that the plugin copes with (docs/higress-compat.md): an unknown foreign
// function aborts the process, and set_buffer_bytes refuses size 0xFFFFFFFF ("the whole buffer").
package higress

import (
	"encoding/json"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/test"
	"github.com/stretchr/testify/require"
)

func wasmPath() string {
	if p := os.Getenv("WASM_FILE_PATH"); p != "" {
		return p
	}
	p, _ := filepath.Abs(filepath.Join("..", "..", "build", "ai-proxy.wasm"))
	return p
}

// run starts a host with `config` and hands it to `f`; the host is always reset (a failed require that skipped
// Reset would leave the emulator's global lock held and hang the next case). Responses are marked as the upstream's
// (response.code_details "via_upstream", as Envoy's router sets it): the plugin leaves other answers alone.
func run(t *testing.T, config string, f func(t *testing.T, host test.TestHost)) {
	test.RunWasmTestWithPath(t, wasmPath(), func(t *testing.T) {
		host, status := test.NewTestHost(json.RawMessage(config))
		defer host.Reset()
		require.Equal(t, types.OnPluginStartStatusOK, status)
		host.SetProperty([]string{"response", "code_details"}, []byte("via_upstream"))
		f(t, host)
	})
}

func header(headers [][2]string, name string) string {
	v, _ := test.GetHeaderValue(headers, name)
	return v
}

func decode(t *testing.T, body []byte) map[string]any {
	var out map[string]any
	require.NoError(t, json.Unmarshal(body, &out), string(body))
	return out
}

func clientHeaders(path string, extra ...[2]string) [][2]string {
	return append([][2]string{
		{":authority", "gateway.example.com"},
		{":path", path},
		{":method", "POST"},
		{"content-type", "application/json"},
		{"authorization", "Bearer client-own-key"},
	}, extra...)
}

const chatRequest = `{"model":"gpt-4o","messages":[{"role":"user","content":"Hello"}]}`

// OpenAI's documented chat completion object (platform.openai.com/docs/api-reference/chat/object).
const openaiCompletion = `{"id":"chatcmpl-123","object":"chat.completion","created":1677652288,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there, how may I assist you today?"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}}`

func TestOpenAIRewritesHostPathKeyAndModel(t *testing.T) {
	run(t, `{"provider":{"type":"openai","apiTokens":["sk-openai-test"],"modelMapping":{"*":"gpt-4o-mini"}}}`, func(t *testing.T, host test.TestHost) {
		require.Equal(t, types.ActionContinue, host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions")))
		h := host.GetRequestHeaders()
		require.Equal(t, "api.openai.com", header(h, ":authority"))
		require.Equal(t, "/v1/chat/completions", header(h, ":path"))
		require.Equal(t, "Bearer sk-openai-test", header(h, "authorization"))

		require.Equal(t, types.ActionContinue, host.CallOnHttpRequestBody([]byte(chatRequest)))
		sent := decode(t, host.GetRequestBody())
		require.Equal(t, "gpt-4o-mini", sent["model"])
		require.Equal(t, []any{map[string]any{"role": "user", "content": "Hello"}}, sent["messages"])

		require.Equal(t, types.ActionContinue, host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "application/json"}}))
		host.CallOnHttpResponseBody([]byte(openaiCompletion))
		require.JSONEq(t, openaiCompletion, string(host.GetResponseBody()))
	})
}

func TestClaudeConvertsAnOpenAIRequestAndItsAnswer(t *testing.T) {
	run(t, `{"provider":{"type":"claude","apiTokens":["sk-ant-test"]}}`, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		h := host.GetRequestHeaders()
		// docs.anthropic.com/en/api/messages: POST https://api.anthropic.com/v1/messages, x-api-key, anthropic-version.
		require.Equal(t, "api.anthropic.com", header(h, ":authority"))
		require.Equal(t, "/v1/messages", header(h, ":path"))
		require.Equal(t, "sk-ant-test", header(h, "x-api-key"))
		require.Equal(t, "2023-06-01", header(h, "anthropic-version"))
		require.False(t, test.HasHeader(h, "authorization"), "the client's own key never reaches the provider")

		host.CallOnHttpRequestBody([]byte(`{"model":"claude-sonnet-4-5","max_tokens":256,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello"}]}`))
		sent := decode(t, host.GetRequestBody())
		require.Equal(t, "claude-sonnet-4-5", sent["model"])
		require.EqualValues(t, 256, sent["max_tokens"])
		require.Equal(t, "Be brief.", sent["system"])
		require.Equal(t, []any{map[string]any{"role": "user", "content": "Hello"}}, sent["messages"])

		host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "application/json"}})
		// The Messages API's documented example answer.
		host.CallOnHttpResponseBody([]byte(`{"id":"msg_013Zva2CMHLNnXjNJJKqJ2EF","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hi! My name is Claude."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":2095,"output_tokens":503}}`))
		got := decode(t, host.GetResponseBody())
		require.Equal(t, "chat.completion", got["object"])
		choice := got["choices"].([]any)[0].(map[string]any)
		require.Equal(t, "stop", choice["finish_reason"])
		message := choice["message"].(map[string]any)
		require.Equal(t, "assistant", message["role"])
		require.Equal(t, "Hi! My name is Claude.", message["content"])
		usage := got["usage"].(map[string]any)
		require.EqualValues(t, 2095, usage["prompt_tokens"])
		require.EqualValues(t, 503, usage["completion_tokens"])
		require.EqualValues(t, 2598, usage["total_tokens"])
	})
}

func TestQwenCompatibleMode(t *testing.T) {
	run(t, `{"provider":{"type":"qwen","apiTokens":["sk-qwen-test"],"qwenEnableCompatible":true,"modelMapping":{"gpt-4o":"qwen-max","*":"qwen-turbo"}}}`, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		h := host.GetRequestHeaders()
		// help.aliyun.com/zh/model-studio/compatibility-of-openai-with-dashscope
		require.Equal(t, "dashscope.aliyuncs.com", header(h, ":authority"))
		require.Equal(t, "/compatible-mode/v1/chat/completions", header(h, ":path"))
		require.Equal(t, "Bearer sk-qwen-test", header(h, "authorization"))
		host.CallOnHttpRequestBody([]byte(chatRequest))
		require.Equal(t, "qwen-max", decode(t, host.GetRequestBody())["model"])
	})
}

func TestAzureDeploymentURL(t *testing.T) {
	config := `{"provider":{"type":"azure","apiTokens":["azure-key-test"],"azureServiceUrl":"https://my-resource.openai.azure.com/openai/deployments/my-deployment/chat/completions?api-version=2024-02-15-preview"}}`
	run(t, config, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		h := host.GetRequestHeaders()
		// learn.microsoft.com/azure/ai-services/openai/reference: api-key header, deployment in the path.
		require.Equal(t, "my-resource.openai.azure.com", header(h, ":authority"))
		require.Equal(t, "/openai/deployments/my-deployment/chat/completions?api-version=2024-02-15-preview", header(h, ":path"))
		require.Equal(t, "azure-key-test", header(h, "api-key"))
		require.False(t, test.HasHeader(h, "authorization"))
	})
}

func TestDeepSeekServesAnAnthropicClientOnItsAnthropicEndpoint(t *testing.T) {
	run(t, `{"provider":{"type":"deepseek","apiTokens":["sk-deepseek-test"],"modelMapping":{"*":"deepseek-chat"}}}`, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/messages", [2]string{"anthropic-version", "2023-06-01"}))
		h := host.GetRequestHeaders()
		// api-docs.deepseek.com/guides/anthropic_api: base URL https://api.deepseek.com/anthropic
		require.Equal(t, "api.deepseek.com", header(h, ":authority"))
		require.Equal(t, "/anthropic/v1/messages", header(h, ":path"))
		host.CallOnHttpRequestBody([]byte(`{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hello"}]}`))
		sent := decode(t, host.GetRequestBody())
		require.Equal(t, "deepseek-chat", sent["model"])
		require.EqualValues(t, 64, sent["max_tokens"])
	})
}

func TestOpenAIStreamReachesAnAnthropicClientAsAnthropicEvents(t *testing.T) {
	run(t, `{"provider":{"type":"openai","apiTokens":["sk-openai-test"],"modelMapping":{"*":"gpt-4o-mini"}}}`, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/messages", [2]string{"anthropic-version", "2023-06-01"}))
		host.CallOnHttpRequestBody([]byte(`{"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Hello"}]}`))
		sent := decode(t, host.GetRequestBody())
		require.Equal(t, true, sent["stream"])
		require.Equal(t, "/v1/chat/completions", header(host.GetRequestHeaders(), ":path"))

		host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "text/event-stream"}})
		// OpenAI's documented chunk shape, cut mid-event between callbacks.
		events := `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}` + "\n\n" +
			`data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}` + "\n\n" +
			`data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}` + "\n\n" +
			"data: [DONE]\n\n"
		var out strings.Builder
		for i := 0; i < len(events); i += 50 {
			end := i + 50
			if end > len(events) {
				end = len(events)
			}
			host.CallOnHttpStreamingResponseBody([]byte(events[i:end]), end == len(events))
			out.Write(host.GetResponseBody())
		}
		text := out.String()
		// docs.anthropic.com/en/docs/build-with-claude/streaming: the event flow of a streamed message.
		order := []string{"event: message_start", "event: content_block_start", "event: content_block_delta", `"text":"Hi"`, "event: content_block_stop", "event: message_delta", `"stop_reason":"end_turn"`, "event: message_stop"}
		at := 0
		for _, want := range order {
			i := strings.Index(text[at:], want)
			require.GreaterOrEqual(t, i, 0, "missing %q after byte %d in:\n%s", want, at, text)
			at += i + len(want)
		}
		require.NotContains(t, text, "[DONE]")
	})
}

func TestBodyReplacedWholeInThisHost(t *testing.T) {
	// A converted error body replaces the upstream's bytes entirely: this host refuses set_buffer_bytes with size
	// 0xFFFFFFFF, so the plugin must replace with the buffer's own length here.
	run(t, `{"provider":{"type":"claude","apiTokens":["sk-ant-test"]}}`, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		host.CallOnHttpRequestBody([]byte(`{"model":"claude-sonnet-4-5","max_tokens":16,"messages":[{"role":"user","content":"Hello"}]}`))
		host.CallOnHttpResponseHeaders([][2]string{{":status", "429"}, {"content-type", "application/json"}})
		// docs.anthropic.com/en/api/errors: the error shape.
		host.CallOnHttpResponseBody([]byte(`{"type":"error","error":{"type":"rate_limit_error","message":"Number of requests has exceeded your rate limit"}}`))
		got := decode(t, host.GetResponseBody())
		errObj := got["error"].(map[string]any)
		require.Equal(t, "Number of requests has exceeded your rate limit", errObj["message"])
		require.NotContains(t, string(host.GetResponseBody()), `"type":"error"`, "the Anthropic envelope is gone: the whole buffer was replaced")
	})
}

// Higress's conformance WasmPlugin (tests/fixtures/higress/conformance-wasmplugin.json), as Higress hands it to
// the plugin: one _rules_ item per matchRule. It loads; rules with what we cannot serve are disabled alone.
func TestHigressConformanceConfigurationLoads(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "fixtures", "higress", "conformance-wasmplugin.json"))
	require.NoError(t, err)
	var fixture struct {
		Spec struct {
			MatchRules []struct {
				Config  map[string]any `json:"config"`
				Ingress []string       `json:"ingress"`
			} `json:"matchRules"`
		} `json:"spec"`
	}
	require.NoError(t, json.Unmarshal(raw, &fixture))
	rules := []map[string]any{}
	for _, r := range fixture.Spec.MatchRules {
		rule := map[string]any{"_match_route_": r.Ingress}
		for k, v := range r.Config {
			rule[k] = v
		}
		rules = append(rules, rule)
	}
	config, _ := json.Marshal(map[string]any{"_rules_": rules})
	run(t, string(config), func(t *testing.T, host test.TestHost) {
		require.Empty(t, host.GetErrorLogs(), "every rule loads")
		// Higress accepts the cloudflare rule without cloudflareAccountId (and sends an empty account in the URL):
		// it loads, and its requests are answered with an error naming the field.
		require.Contains(t, strings.Join(host.GetWarnLogs(), "\n"), `_rules_[13].provider.cloudflareAccountId: is required for provider type cloudflare: its requests are answered with HTTP 500 until it is set`)

		require.NoError(t, host.SetRouteName("higress-conformance-ai-backend/wasmplugin-ai-proxy-minimax-pro-api"))
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		host.CallOnHttpRequestBody([]byte(`{"model":"gpt-3","messages":[{"role":"user","content":"Hello"}]}`))
		h := host.GetRequestHeaders()
		// minimaxGroupId is the number 1 in that manifest: read as "1", as Higress reads it.
		require.Equal(t, "api.minimax.chat", header(h, ":authority"))
		require.Equal(t, "/v1/text/chatcompletion_pro?GroupId=1", header(h, ":path"))
		require.Equal(t, "Bearer fake_token", header(h, "authorization"))
		require.Equal(t, "abab6.5s-chat", decode(t, host.GetRequestBody())["model"])
	})
}

func TestCohereCompatibilityAPI(t *testing.T) {
	run(t, `{"provider":{"type":"cohere","apiTokens":["co-test"],"modelMapping":{"*":"command-a-03-2025"}}}`, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		h := host.GetRequestHeaders()
		// docs.cohere.com/docs/compatibility-api: base URL .../compatibility/v1, Bearer key.
		require.Equal(t, "api.cohere.com", header(h, ":authority"))
		require.Equal(t, "/compatibility/v1/chat/completions", header(h, ":path"))
		require.Equal(t, "Bearer co-test", header(h, "authorization"))
		host.CallOnHttpRequestBody([]byte(`{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hello"}]}`))
		sent := decode(t, host.GetRequestBody())
		require.Equal(t, "command-a-03-2025", sent["model"])
		require.NotContains(t, sent, "stream_options")
	})
}

func TestDeepLTranslatesMessagesIntoAChatCompletion(t *testing.T) {
	run(t, `{"provider":{"type":"deepl","apiTokens":["dl-test:fx"],"targetLang":"ZH"}}`, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		h := host.GetRequestHeaders()
		// developers.deepl.com/api-reference/translate: POST /v2/translate, DeepL-Auth-Key; Free keys (":fx") on api-free.
		require.Equal(t, "api-free.deepl.com", header(h, ":authority"))
		require.Equal(t, "/v2/translate", header(h, ":path"))
		require.Equal(t, "DeepL-Auth-Key dl-test:fx", header(h, "authorization"))
		// Seed 001's DeepL example.
		host.CallOnHttpRequestBody([]byte(`{"model":"Free","messages":[{"role":"system","content":"money"},{"content":"sit by the bank"},{"content":"a bank in China"}]}`))
		require.JSONEq(t, `{"text":["sit by the bank","a bank in China"],"target_lang":"ZH","context":"money"}`, string(host.GetRequestBody()))

		host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "application/json"}})
		host.CallOnHttpResponseBody([]byte(`{"translations":[{"detected_source_language":"EN","text":"坐庄"},{"detected_source_language":"EN","text":"中国银行"}]}`))
		got := decode(t, host.GetResponseBody())
		require.Equal(t, "chat.completion", got["object"])
		require.Equal(t, "Free", got["model"])
		choices := got["choices"].([]any)
		require.Len(t, choices, 2)
		require.Equal(t, map[string]any{"role": "assistant", "content": "中国银行", "name": "EN"}, choices[1].(map[string]any)["message"])
	})
}

func TestTritonGenerate(t *testing.T) {
	config := `{"provider":{"type":"triton","tritonDomain":"triton.internal:8000","tritonModelVersion":"1","apiTokens":["tr-test"],"modelMapping":{"*":"gpt2"}}}`
	run(t, config, func(t *testing.T, host test.TestHost) {
		// The path names the model: the headers wait for the body.
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		require.Equal(t, types.ActionContinue, host.CallOnHttpRequestBody([]byte(`{"model":"gpt-4o","messages":[{"role":"user","content":"你好,你是谁?"}],"stream":false}`)))
		h := host.GetRequestHeaders()
		// docs.nvidia.com/.../protocol/extension_generate.html: POST v2/models/${MODEL_NAME}/versions/${MODEL_VERSION}/generate
		require.Equal(t, "triton.internal:8000", header(h, ":authority"))
		require.Equal(t, "/v2/models/gpt2/versions/1/generate", header(h, ":path"))
		require.JSONEq(t, `{"text_input":"你好,你是谁?","parameters":{"stream":false}}`, string(host.GetRequestBody()))

		host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "application/json"}})
		host.CallOnHttpResponseBody([]byte(`{"model_name":"gpt2","model_version":"1","text_output":"我是一个AI模型"}`))
		got := decode(t, host.GetResponseBody())
		choice := got["choices"].([]any)[0].(map[string]any)
		require.Equal(t, "stop", choice["finish_reason"])
		require.Equal(t, "我是一个AI模型", choice["message"].(map[string]any)["content"])
		require.Equal(t, "gpt2", got["model"])
	})
}

// Tencent Hunyuan with hunyuanAuthId/hunyuanAuthKey (cloud.tencent.com/document/api/1729/105701): POST
// https://hunyuan.tencentcloudapi.com/ with X-TC-Action/X-TC-Version/X-TC-Timestamp and a TC3-HMAC-SHA256
// Authorization (cloud.tencent.com/document/api/1729/101843), the body in Tencent's capitalised shape; the
// answer's Response object becomes an OpenAI completion.
func TestHunyuanNativeSignsTheBody(t *testing.T) {
	config := `{"allowOnHeadersStopIteration":true,"provider":{"type":"hunyuan","hunyuanAuthId":"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE","hunyuanAuthKey":"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE","modelMapping":{"*":"hunyuan-lite"}}}`
	run(t, config, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		host.CallOnHttpRequestBody([]byte(chatRequest))
		h := host.GetRequestHeaders()
		require.Equal(t, "hunyuan.tencentcloudapi.com", header(h, ":authority"))
		require.Equal(t, "/", header(h, ":path"))
		require.Equal(t, "ChatCompletions", header(h, "x-tc-action"))
		require.Equal(t, "2023-09-01", header(h, "x-tc-version"))
		require.NotEmpty(t, header(h, "x-tc-timestamp"))
		require.True(t, strings.HasPrefix(header(h, "authorization"), "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/"), header(h, "authorization"))
		require.Contains(t, header(h, "authorization"), "/hunyuan/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=")
		require.JSONEq(t, `{"Model":"hunyuan-lite","Messages":[{"Role":"user","Content":"Hello"}]}`, string(host.GetRequestBody()))

		host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "application/json"}})
		host.CallOnHttpResponseBody([]byte(`{"Response":{"RequestId":"r1","Note":"以上内容为AI生成","Choices":[{"FinishReason":"stop","Message":{"Role":"assistant","Content":"你好"}}],"Created":1715224325,"Id":"h-1","Usage":{"PromptTokens":3,"CompletionTokens":2,"TotalTokens":5}}}`))
		got := decode(t, host.GetResponseBody())
		require.Equal(t, "h-1", got["id"])
		require.Equal(t, "chat.completion", got["object"])
		choice := got["choices"].([]any)[0].(map[string]any)
		require.Equal(t, "你好", choice["message"].(map[string]any)["content"])
		require.EqualValues(t, 5, got["usage"].(map[string]any)["total_tokens"])
	})
}

// Hunyuan with apiTokens only: the OpenAI-compatible endpoint (cloud.tencent.com/document/product/1729/111007).
func TestHunyuanCompatibleEndpoint(t *testing.T) {
	run(t, `{"provider":{"type":"hunyuan","apiTokens":["sk-hunyuan-test"]}}`, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		h := host.GetRequestHeaders()
		require.Equal(t, "api.hunyuan.cloud.tencent.com", header(h, ":authority"))
		require.Equal(t, "/v1/chat/completions", header(h, ":path"))
		require.Equal(t, "Bearer sk-hunyuan-test", header(h, "authorization"))
	})
}

// iFlytek Spark's OpenAI-compatible HTTP API with the APIKey:APISecret pair as Bearer token (seed 001).
func TestSparkBearerKeyPair(t *testing.T) {
	run(t, `{"provider":{"type":"spark","apiTokens":["key123:secret456"],"modelMapping":{"*":"generalv3.5"}}}`, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		h := host.GetRequestHeaders()
		require.Equal(t, "spark-api-open.xf-yun.com", header(h, ":authority"))
		require.Equal(t, "/v1/chat/completions", header(h, ":path"))
		require.Equal(t, "Bearer key123:secret456", header(h, "authorization"))
		host.CallOnHttpRequestBody([]byte(chatRequest))
		require.Equal(t, "generalv3.5", decode(t, host.GetRequestBody())["model"])
	})
}

// Qwen with qwenEnableCompatible false: DashScope's native text generation
// (help.aliyun.com/zh/model-studio/qwen-api-reference), the documented HTTP example's body and answer.
func TestQwenNativeDashScope(t *testing.T) {
	config := `{"allowOnHeadersStopIteration":true,"provider":{"type":"qwen","apiTokens":["sk-qwen-test"],"qwenEnableCompatible":false,"modelMapping":{"*":"qwen-plus"}}}`
	run(t, config, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		host.CallOnHttpRequestBody([]byte(`{"model":"gpt-4o","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"你是谁？"}]}`))
		h := host.GetRequestHeaders()
		require.Equal(t, "dashscope.aliyuncs.com", header(h, ":authority"))
		require.Equal(t, "/api/v1/services/aigc/text-generation/generation", header(h, ":path"))
		require.Equal(t, "Bearer sk-qwen-test", header(h, "authorization"))
		require.JSONEq(t, `{"model":"qwen-plus","input":{"messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"你是谁？"}]},"parameters":{"result_format":"message"}}`, string(host.GetRequestBody()))

		host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "application/json"}})
		host.CallOnHttpResponseBody([]byte(`{"output":{"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"我是通义千问。"}}]},"usage":{"total_tokens":38,"output_tokens":16,"input_tokens":22},"request_id":"09dceb20-ae2e-999b-85f9-c5ab266198c0"}`))
		got := decode(t, host.GetResponseBody())
		require.Equal(t, "09dceb20-ae2e-999b-85f9-c5ab266198c0", got["id"])
		choice := got["choices"].([]any)[0].(map[string]any)
		require.Equal(t, "我是通义千问。", choice["message"].(map[string]any)["content"])
		require.EqualValues(t, 38, got["usage"].(map[string]any)["total_tokens"])
	})
}

// Qwen without qwenEnableCompatible (the native default): embeddings on DashScope's text embedding
// (www.alibabacloud.com/help/en/model-studio/text-embedding-synchronous-api) and rerank on its text rerank
// (help.aliyun.com/zh/model-studio/text-rerank-api), bodies and answers converted both ways.
func TestQwenNativeEmbeddingsAndRerank(t *testing.T) {
	config := `{"provider":{"type":"qwen","apiTokens":["sk-qwen-test"],"modelMapping":{"text-embedding-3-small":"text-embedding-v4","*":"gte-rerank-v2"}}}`
	run(t, config, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/embeddings"))
		require.Equal(t, "/api/v1/services/embeddings/text-embedding/text-embedding", header(host.GetRequestHeaders(), ":path"))
		host.CallOnHttpRequestBody([]byte(`{"model":"text-embedding-3-small","input":"衣服的质量杠杠的","dimensions":512}`))
		require.JSONEq(t, `{"model":"text-embedding-v4","input":{"texts":["衣服的质量杠杠的"]},"parameters":{"dimension":512}}`, string(host.GetRequestBody()))
		host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "application/json"}})
		host.CallOnHttpResponseBody([]byte(`{"output":{"embeddings":[{"embedding":[-0.0695386752486229,0.030681096017360687],"text_index":0}]},"usage":{"total_tokens":7},"request_id":"b5f5f8b8"}`))
		require.JSONEq(t, `{"object":"list","data":[{"object":"embedding","index":0,"embedding":[-0.0695386752486229,0.030681096017360687]}],"model":"text-embedding-v4","usage":{"prompt_tokens":7,"total_tokens":7}}`, string(host.GetResponseBody()))
	})
	run(t, config, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/reranks"))
		require.Equal(t, "/api/v1/services/rerank/text-rerank/text-rerank", header(host.GetRequestHeaders(), ":path"))
		host.CallOnHttpRequestBody([]byte(`{"model":"qwen3-rerank","query":"什么是文本排序模型","documents":["文本排序模型广泛用于搜索引擎","量子计算是计算科学的一个前沿领域"],"top_n":1}`))
		require.JSONEq(t, `{"model":"gte-rerank-v2","input":{"query":"什么是文本排序模型","documents":["文本排序模型广泛用于搜索引擎","量子计算是计算科学的一个前沿领域"]},"parameters":{"top_n":1}}`, string(host.GetRequestBody()))
		host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "application/json"}})
		host.CallOnHttpResponseBody([]byte(`{"output":{"results":[{"index":0,"relevance_score":0.9334521846032026}]},"usage":{"total_tokens":79},"request_id":"r-9"}`))
		require.JSONEq(t, `{"object":"list","results":[{"index":0,"relevance_score":0.9334521846032026}],"model":"gte-rerank-v2","usage":{"total_tokens":79},"id":"r-9"}`, string(host.GetResponseBody()))
	})
}

// Dify (docs.dify.ai/en/openapi-api-access-readme), botType Workflow on a self-hosted difyApiUrl: the prompt in
// inputs[inputVariable] at /v1/workflows/run, the answer from outputs[outputVariable] (the documented example).
func TestDifyWorkflow(t *testing.T) {
	config := `{"provider":{"type":"dify","apiTokens":["app-test"],"difyApiUrl":"http://dify.local","botType":"Workflow","inputVariable":"question","outputVariable":"text"}}`
	run(t, config, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		h := host.GetRequestHeaders()
		require.Equal(t, "dify.local", header(h, ":authority"))
		require.Equal(t, "/v1/workflows/run", header(h, ":path"))
		require.Equal(t, "Bearer app-test", header(h, "authorization"))
		host.CallOnHttpRequestBody([]byte(chatRequest))
		require.JSONEq(t, `{"inputs":{"question":"USER: \nHello\n"},"response_mode":"blocking","user":"api-user"}`, string(host.GetRequestBody()))

		host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "application/json"}})
		host.CallOnHttpResponseBody([]byte(`{"workflow_run_id":"djflajgkldjgd","task_id":"9da23599-e713-473b-982c-4328d4f5c78a","data":{"id":"fdlsjfjejkghjda","workflow_id":"fldjaslkfjlsda","status":"succeeded","outputs":{"text":"Nice to meet you."},"error":null,"elapsed_time":0.875,"total_tokens":3562,"total_steps":8,"created_at":1705407629,"finished_at":1727807631}}`))
		got := decode(t, host.GetResponseBody())
		require.Equal(t, "fldjaslkfjlsda", got["id"])
		choice := got["choices"].([]any)[0].(map[string]any)
		require.Equal(t, "Nice to meet you.", choice["message"].(map[string]any)["content"])
	})
}

// MiniMax ChatCompletion Pro (minimaxApiType "pro", seed 001): /v1/text/chatcompletion_pro?GroupId=…, the Pro body
// (bot_setting, sender_type messages, reply_constraints), its answer as an OpenAI completion.
func TestMiniMaxPro(t *testing.T) {
	config := `{"provider":{"type":"minimax","apiTokens":["mm-test"],"minimaxApiType":"pro","minimaxGroupId":"g42","modelMapping":{"*":"abab6.5s-chat"}}}`
	run(t, config, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		h := host.GetRequestHeaders()
		require.Equal(t, "api.minimax.chat", header(h, ":authority"))
		require.Equal(t, "/v1/text/chatcompletion_pro?GroupId=g42", header(h, ":path"))
		require.Equal(t, "Bearer mm-test", header(h, "authorization"))
		host.CallOnHttpRequestBody([]byte(chatRequest))
		require.JSONEq(t, `{"model":"abab6.5s-chat","mask_sensitive_info":true,"messages":[{"sender_type":"USER","sender_name":"小明","text":"Hello"}],"bot_setting":[{"bot_name":"MM智能助理","content":"MM智能助理是一款由MiniMax自研的，没有调用其他产品的接口的大型语言模型。MiniMax是一家中国科技公司，一直致力于进行大模型相关的研究。"}],"reply_constraints":{"sender_type":"BOT","sender_name":"MM智能助理"}}`, string(host.GetRequestBody()))

		host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "application/json"}})
		host.CallOnHttpResponseBody([]byte(`{"created":1689747323,"model":"abab6.5s-chat","reply":"你好","choices":[{"finish_reason":"stop","messages":[{"sender_type":"BOT","sender_name":"MM智能助理","text":"你好"}]}],"usage":{"total_tokens":149},"input_sensitive":false,"output_sensitive":false,"id":"01b2d08e","base_resp":{"status_code":0,"status_msg":"success"}}`))
		got := decode(t, host.GetResponseBody())
		require.Equal(t, "01b2d08e", got["id"])
		choice := got["choices"].([]any)[0].(map[string]any)
		require.Equal(t, "你好", choice["message"].(map[string]any)["content"])
	})
}

func TestConsumerAffinityPicksTheKeyHigressWould(t *testing.T) {
	keys := []string{"sk-a", "sk-b", "sk-c"}
	config := `{"provider":{"type":"openai","apiTokens":["sk-a","sk-b","sk-c"]}}`
	for _, consumer := range []string{"consumer-a", "team-b", "用户"} {
		// Higress's GetTokenWithConsumerAffinity: FNV-1a 32 (hash/fnv New32a) of x-mse-consumer, modulo the key count.
		h := fnv.New32a()
		h.Write([]byte(consumer))
		want := "Bearer " + keys[int(h.Sum32())%len(keys)]
		for i := 0; i < 2; i++ {
			run(t, config, func(t *testing.T, host test.TestHost) {
				host.CallOnHttpRequestHeaders(clientHeaders("/v1/responses", [2]string{"x-mse-consumer", consumer}))
				require.Equal(t, want, header(host.GetRequestHeaders(), "authorization"), consumer)
			})
		}
	}
}

// Higress's generic provider (its README, "Generic"): any path goes on as sent, basePath removed, host and key set.
func TestGenericForwardsAnyPathWithBasePathRemoved(t *testing.T) {
	config := `{"provider":{"type":"generic","apiTokens":["sk-generic"],"genericHost":"backend.internal","basePath":"/proxy"}}`
	run(t, config, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/proxy/service/echo"))
		h := host.GetRequestHeaders()
		require.Equal(t, "backend.internal", header(h, ":authority"))
		require.Equal(t, "/service/echo", header(h, ":path"))
		require.Equal(t, "Bearer sk-generic", header(h, "authorization"))
		body := `{"model":"any","stream":true}`
		host.CallOnHttpRequestBody([]byte(body))
		require.JSONEq(t, body, string(host.GetRequestBody()))
	})
}

// learn.microsoft.com/azure/ai-foundry/openai/reference-preview: POST {endpoint}/openai/deployments/{deployment-id}/images/edits,
// multipart; the resource-only form names the deployment after the upload's (mapped) model field.
func TestAzureResourceOnlyImageEditNamesTheDeploymentAfterTheUpload(t *testing.T) {
	config := `{"provider":{"type":"azure","apiTokens":["azure-key-test"],"azureServiceUrl":"https://res.openai.azure.com?api-version=2025-04-01-preview","modelMapping":{"gpt-image-1.5":"gpt-image-1"}}}`
	run(t, config, func(t *testing.T, host test.TestHost) {
		const ct = "multipart/form-data; boundary=XyZ"
		upload := "--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-image-1.5\r\n--XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n--XyZ--\r\n"
		host.CallOnHttpRequestHeaders([][2]string{{":authority", "gateway.example.com"}, {":path", "/v1/images/edits"}, {":method", "POST"}, {"content-type", ct}})
		host.CallOnHttpRequestBody([]byte(upload))
		h := host.GetRequestHeaders()
		require.Equal(t, "/openai/deployments/gpt-image-1/images/edits?api-version=2025-04-01-preview", header(h, ":path"))
		require.Equal(t, "azure-key-test", header(h, "api-key"))
		require.Equal(t, strings.Replace(upload, "gpt-image-1.5", "gpt-image-1", 1), string(host.GetRequestBody()))

	})
}

// Coze (seed 001): the model names the bot; the request always streams (Coze answers a non-streamed chat before the
// bot replies), and a client that asked for one answer gets the conversation.* events collected into a completion.
// docs: https://www.coze.cn/open/docs/developer_guides/chat_v3
func TestCozeChat(t *testing.T) {
	config := `{"provider":{"type":"coze","apiTokens":["pat_test"],"modelMapping":{"*":"7379462189365198898"}}}`
	run(t, config, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		host.CallOnHttpRequestBody([]byte(chatRequest))
		h := host.GetRequestHeaders()
		require.Equal(t, "api.coze.cn", header(h, ":authority"))
		require.Equal(t, "/v3/chat", header(h, ":path"))
		require.Equal(t, "Bearer pat_test", header(h, "authorization"))
		require.JSONEq(t, `{"bot_id":"7379462189365198898","user_id":"ai-proxy","stream":true,"auto_save_history":false,"additional_messages":[{"role":"user","content":"Hello","content_type":"text","type":"question"}]}`, string(host.GetRequestBody()))

		host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "text/event-stream"}})
		host.CallOnHttpResponseBody([]byte("event:conversation.chat.created\ndata:{\"id\":\"7382159487131697202\",\"conversation_id\":\"7381473525342978089\",\"bot_id\":\"7379462189365198898\",\"created_at\":1718792949,\"status\":\"created\"}\n\n" +
			"event:conversation.message.delta\ndata:{\"id\":\"m1\",\"role\":\"assistant\",\"type\":\"answer\",\"content\":\"Hi \",\"content_type\":\"text\",\"chat_id\":\"7382159487131697202\"}\n\n" +
			"event:conversation.message.delta\ndata:{\"id\":\"m1\",\"role\":\"assistant\",\"type\":\"answer\",\"content\":\"there.\",\"content_type\":\"text\",\"chat_id\":\"7382159487131697202\"}\n\n" +
			"event:conversation.message.completed\ndata:{\"id\":\"m1\",\"role\":\"assistant\",\"type\":\"answer\",\"content\":\"Hi there.\",\"content_type\":\"text\",\"chat_id\":\"7382159487131697202\"}\n\n" +
			"event:conversation.chat.completed\ndata:{\"id\":\"7382159487131697202\",\"status\":\"completed\",\"usage\":{\"token_count\":12,\"output_count\":3,\"input_count\":9}}\n\n" +
			"event:done\ndata:\"[DONE]\"\n\n"))
		got := decode(t, host.GetResponseBody())
		require.Equal(t, "7382159487131697202", got["id"])
		require.Equal(t, "chat.completion", got["object"])
		choice := got["choices"].([]any)[0].(map[string]any)
		require.Equal(t, "Hi there.", choice["message"].(map[string]any)["content"])
		require.Equal(t, float64(12), got["usage"].(map[string]any)["total_tokens"])
	})
}

// An answer the host does not report as the upstream's (response.code_details other than "via_upstream": another
// filter's, a route's direct_response) is not in the provider's format: a success passes untouched, as Higress's
// ai-proxy leaves it; an error is still put in the client's protocol.
func TestAnotherFiltersAnswerIsLeftAlone(t *testing.T) {
	run(t, `{"provider":{"type":"claude","apiTokens":["sk-ant-test"]}}`, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		host.CallOnHttpRequestBody([]byte(`{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hello"}]}`))
		host.SetProperty([]string{"response", "code_details"}, []byte("direct_response"))
		host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "application/json"}})
		cached := `{"id":"chatcmpl-cached","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"cached"},"finish_reason":"stop"}]}`
		host.CallOnHttpResponseBody([]byte(cached))
		require.Equal(t, cached, string(host.GetResponseBody()))
	})
	run(t, `{"provider":{"type":"claude","apiTokens":["sk-ant-test"]}}`, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		host.CallOnHttpRequestBody([]byte(`{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hello"}]}`))
		host.SetProperty([]string{"response", "code_details"}, []byte("upstream_reset_before_response_started{connection_failure}"))
		host.CallOnHttpResponseHeaders([][2]string{{":status", "503"}, {"content-type", "text/plain"}})
		host.CallOnHttpResponseBody([]byte("upstream connect error or disconnect/reset before headers. reset reason: connection failure"))
		got := decode(t, host.GetResponseBody())
		errObj, ok := got["error"].(map[string]any)
		require.True(t, ok, "an OpenAI error object")
		require.NotEmpty(t, errObj["message"])
	})
}
