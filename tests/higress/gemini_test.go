// Gemini's embeddings, Imagen and image URLs in Higress's own plugin test host. Expected values come from Google's
// documentation (https://ai.google.dev/api/embeddings#method:-models.batchembedcontents,
// https://ai.google.dev/gemini-api/docs/imagen, https://ai.google.dev/api/caching#Blob), not from the plugin.
package higress

import (
	"encoding/base64"
	"testing"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/test"
	"github.com/stretchr/testify/require"
)

const geminiConfig = `{"provider":{"type":"gemini","apiTokens":["AIza-test"],"modelMapping":{"text-embedding-3-small":"gemini-embedding-001","dall-e-3":"imagen-4.0-generate-001"}}}`

func TestGeminiEmbeddingsBatchEmbedContents(t *testing.T) {
	run(t, geminiConfig, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/embeddings"))
		host.CallOnHttpRequestBody([]byte(`{"model":"text-embedding-3-small","input":["Hello","World"]}`))
		h := host.GetRequestHeaders()
		require.Equal(t, "generativelanguage.googleapis.com", header(h, ":authority"))
		require.Equal(t, "/v1beta/models/gemini-embedding-001:batchEmbedContents", header(h, ":path"))
		require.Equal(t, "AIza-test", header(h, "x-goog-api-key"))
		require.Equal(t, "", header(h, "authorization"))
		require.JSONEq(t, `{"requests":[{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"Hello"}]}},{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"World"}]}}]}`, string(host.GetRequestBody()))

		host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "application/json"}})
		host.CallOnHttpResponseBody([]byte(`{"embeddings":[{"values":[0.5,-0.25]},{"values":[1,0]}]}`))
		require.JSONEq(t, `{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-0.25]},{"object":"embedding","index":1,"embedding":[1,0]}],"model":"gemini-embedding-001","usage":{"prompt_tokens":0,"total_tokens":0}}`, string(host.GetResponseBody()))
	})
}

func TestGeminiImagenPredict(t *testing.T) {
	run(t, geminiConfig, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/images/generations"))
		host.CallOnHttpRequestBody([]byte(`{"model":"dall-e-3","prompt":"A cat","n":2,"size":"1792x1024"}`))
		h := host.GetRequestHeaders()
		require.Equal(t, "/v1beta/models/imagen-4.0-generate-001:predict", header(h, ":path"))
		require.JSONEq(t, `{"instances":[{"prompt":"A cat"}],"parameters":{"sampleCount":2,"aspectRatio":"16:9"}}`, string(host.GetRequestBody()))
		host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "application/json"}})
		host.CallOnHttpResponseBody([]byte(`{"predictions":[{"bytesBase64Encoded":"QUJD","mimeType":"image/png"},{"bytesBase64Encoded":"REVG","mimeType":"image/png"}]}`))
		got := decode(t, host.GetResponseBody())
		require.Equal(t, []any{map[string]any{"b64_json": "QUJD"}, map[string]any{"b64_json": "REVG"}}, got["data"])
	})
}

func TestGeminiImageURLFetchedAndInlined(t *testing.T) {
	run(t, geminiConfig, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		action := host.CallOnHttpRequestBody([]byte(`{"model":"gemini-2.5-flash","messages":[{"role":"user","content":[{"type":"text","text":"What is it?"},{"type":"image_url","image_url":{"url":"https://img.example.com/cat.png?sig=secret"}}]}]}`))
		require.Equal(t, types.ActionPause, action)
		callouts := host.GetHttpCalloutAttributes()
		require.Len(t, callouts, 1)
		require.Equal(t, "img.example.com", header(callouts[0].Headers, ":authority"))
		require.Equal(t, "/cat.png?sig=secret", header(callouts[0].Headers, ":path"))
		require.Equal(t, "GET", header(callouts[0].Headers, ":method"))
		require.Equal(t, "", header(callouts[0].Headers, "x-goog-api-key"))
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
		host.CallOnHttpCall([][2]string{{":status", "200"}, {"content-type", "image/png"}}, png)
		require.Equal(t, "/v1beta/models/gemini-2.5-flash:generateContent", header(host.GetRequestHeaders(), ":path"))
		require.JSONEq(t, `{"contents":[{"role":"user","parts":[{"text":"What is it?"},{"inlineData":{"mimeType":"image/png","data":"`+base64.StdEncoding.EncodeToString(png)+`"}}]}],"generationConfig":{}}`, string(host.GetRequestBody()))
	})
}
