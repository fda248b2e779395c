// Provider type bedrock in Higress's test host: the request Higress's own bedrock tests expect (the headers wait for
// the body, :authority bedrock-runtime.{awsRegion}.amazonaws.com at once, /model/{model}/converse, X-Amz-Date and an
// AWS4-HMAC-SHA256 Authorization), with the signature recomputed here from AWS's SigV4 documentation, and a
// ConverseStream answer (binary event stream frames built here) re-chunked into OpenAI SSE.
package higress

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"net/url"
	"strings"
	"testing"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/test"
	"github.com/stretchr/testify/require"
)

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// sigV4 per https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (non-S3: the path as sent is
// URI-encoded once more per segment), signing host and x-amz-date.
func sigV4(accessKey, secretKey, region, host, path, amzDate string, body []byte) string {
	segments := strings.Split(path, "/")
	for i, s := range segments {
		segments[i] = strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
	}
	payload := sha256.Sum256(body)
	canonical := strings.Join([]string{"POST", strings.Join(segments, "/"), "", "host:" + host, "x-amz-date:" + amzDate, "", "host;x-amz-date", hex.EncodeToString(payload[:])}, "\n")
	day := amzDate[:8]
	scope := day + "/" + region + "/bedrock/aws4_request"
	digest := sha256.Sum256([]byte(canonical))
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(digest[:])
	key := hmacSHA256([]byte("AWS4"+secretKey), day)
	for _, part := range []string{region, "bedrock", "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	return "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope + ", SignedHeaders=host;x-amz-date, Signature=" + hex.EncodeToString(hmacSHA256(key, toSign))
}

// eventFrame builds one application/vnd.amazon.eventstream frame with string headers.
func eventFrame(eventType, payload string) []byte {
	var hs []byte
	for _, kv := range [][2]string{{":event-type", eventType}, {":content-type", "application/json"}, {":message-type", "event"}} {
		hs = append(hs, byte(len(kv[0])))
		hs = append(hs, kv[0]...)
		hs = append(hs, 7, byte(len(kv[1])>>8), byte(len(kv[1])))
		hs = append(hs, kv[1]...)
	}
	total := 12 + len(hs) + len(payload) + 4
	frame := make([]byte, 12, total)
	binary.BigEndian.PutUint32(frame[0:], uint32(total))
	binary.BigEndian.PutUint32(frame[4:], uint32(len(hs)))
	binary.BigEndian.PutUint32(frame[8:], crc32.ChecksumIEEE(frame[:8]))
	frame = append(frame, hs...)
	frame = append(frame, payload...)
	return binary.BigEndian.AppendUint32(frame, crc32.ChecksumIEEE(frame))
}

func TestBedrockSignsTheConverseRequestAndReChunksItsEventStream(t *testing.T) {
	config := `{"provider":{"type":"bedrock","awsAccessKey":"test-ak-for-unit-test","awsSecretKey":"test-sk-for-unit-test","awsRegion":"us-east-1","modelMapping":{"*":"anthropic.claude-3-5-haiku-20241022-v1:0"}}}`
	run(t, config, func(t *testing.T, host test.TestHost) {
		// The URL names the model: the headers wait for the body.
		require.Equal(t, types.HeaderStopIteration, host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions")))
		require.Equal(t, "bedrock-runtime.us-east-1.amazonaws.com", header(host.GetRequestHeaders(), ":authority"))

		require.Equal(t, types.ActionContinue, host.CallOnHttpRequestBody([]byte(`{"model":"gpt-4","stream":true,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello"}]}`)))
		h := host.GetRequestHeaders()
		body := host.GetRequestBody()
		// docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html: POST /model/{modelId}/converse-stream.
		path := header(h, ":path")
		require.Equal(t, "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream", path)
		sent := decode(t, body)
		require.Equal(t, []any{map[string]any{"text": "Be brief."}}, sent["system"])
		require.Equal(t, []any{map[string]any{"role": "user", "content": []any{map[string]any{"text": "Hello"}}}}, sent["messages"])
		date := header(h, "x-amz-date")
		require.Len(t, date, 16)
		require.Equal(t, sigV4("test-ak-for-unit-test", "test-sk-for-unit-test", "us-east-1", "bedrock-runtime.us-east-1.amazonaws.com", path, date, body), header(h, "authorization"))

		host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "application/vnd.amazon.eventstream"}})
		stream := append(eventFrame("messageStart", `{"role":"assistant"}`), eventFrame("contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"Hi there"}}`)...)
		stream = append(stream, eventFrame("messageStop", `{"stopReason":"end_turn"}`)...)
		stream = append(stream, eventFrame("metadata", `{"usage":{"inputTokens":5,"outputTokens":2,"totalTokens":7}}`)...)
		var out strings.Builder
		for i := 0; i < len(stream); i += 40 {
			end := min(i+40, len(stream))
			host.CallOnHttpStreamingResponseBody(stream[i:end], end == len(stream))
			out.Write(host.GetResponseBody())
		}
		text := out.String()
		order := []string{`"role":"assistant"`, `"content":"Hi there"`, `"finish_reason":"stop"`, "data: [DONE]"}
		at := 0
		for _, want := range order {
			i := strings.Index(text[at:], want)
			require.GreaterOrEqual(t, i, 0, "missing %q after byte %d in:\n%s", want, at, text)
			at += i + len(want)
		}
	})
}

func TestBedrockApiKeyIsSentAsBearer(t *testing.T) {
	run(t, `{"provider":{"type":"bedrock","apiTokens":["test-token-for-unit-test"],"awsRegion":"us-west-2"}}`, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		host.CallOnHttpRequestBody([]byte(`{"model":"anthropic.claude-3-haiku-20240307-v1:0","messages":[{"role":"user","content":"Hello"}]}`))
		h := host.GetRequestHeaders()
		require.Equal(t, "bedrock-runtime.us-west-2.amazonaws.com", header(h, ":authority"))
		require.Equal(t, "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse", header(h, ":path"))
		require.Equal(t, "Bearer test-token-for-unit-test", header(h, "authorization"))
		require.False(t, test.HasHeader(h, "x-amz-date"))
	})
}

func TestBedrockPromptCacheRetentionAddsCachePoints(t *testing.T) {
	// docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_CachePointBlock.html: type "default", ttl 5m or 1h.
	config := `{"provider":{"type":"bedrock","apiTokens":["test-token-for-unit-test"],"awsRegion":"us-east-1","promptCacheRetention":"in_memory","bedrockPromptCachePointPositions":{"systemPrompt":true,"lastMessage":true},"modelMapping":{"*":"anthropic.claude-3-5-haiku-20241022-v1:0"}}}`
	run(t, config, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		require.Equal(t, types.ActionContinue, host.CallOnHttpRequestBody([]byte(`{"model":"gpt-4","prompt_cache_retention":"24h","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello"}]}`)))
		require.Equal(t, `{"messages":[{"role":"user","content":[{"text":"Hello"},{"cachePoint":{"type":"default","ttl":"1h"}}]}],"system":[{"text":"Be brief."},{"cachePoint":{"type":"default","ttl":"1h"}}]}`, string(host.GetRequestBody()))
	})
}

func TestBedrockOriginalProtocolSignsTheClientsBody(t *testing.T) {
	config := `{"provider":{"type":"bedrock","protocol":"original","awsAccessKey":"test-ak-for-unit-test","awsSecretKey":"test-sk-for-unit-test","awsRegion":"us-east-1"}}`
	run(t, config, func(t *testing.T, host test.TestHost) {
		path := "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream"
		require.Equal(t, types.HeaderStopIteration, host.CallOnHttpRequestHeaders(clientHeaders(path)))
		sent := `{"messages":[{"role":"user","content":[{"text":"Hello"}]}],"inferenceConfig":{"maxTokens":64}}`
		require.Equal(t, types.ActionContinue, host.CallOnHttpRequestBody([]byte(sent)))
		h := host.GetRequestHeaders()
		require.Equal(t, path, header(h, ":path"))
		require.Equal(t, sent, string(host.GetRequestBody()))
		require.Equal(t, sigV4("test-ak-for-unit-test", "test-sk-for-unit-test", "us-east-1", "bedrock-runtime.us-east-1.amazonaws.com", path, header(h, "x-amz-date"), []byte(sent)), header(h, "authorization"))
	})
}
