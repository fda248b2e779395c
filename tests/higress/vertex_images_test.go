// OpenAI's image edit API on Vertex AI express mode in Higress's test host: a multipart/form-data upload (written by
// Go's mime/multipart, as Go clients send it) becomes a Gemini image model's generateContent request in JSON, and the
// answer's inlineData image becomes OpenAI's b64_json. Expected values come from OpenAI's images API reference
// (https://platform.openai.com/docs/api-reference/images/createEdit) and Google's Gemini image generation on Vertex AI
// (https://cloud.google.com/vertex-ai/generative-ai/docs/multimodal/image-generation).
package higress

import (
	"bytes"
	"encoding/base64"
	"mime/multipart"
	"net/textproto"
	"testing"

	"github.com/higress-group/wasm-go/pkg/test"
	"github.com/stretchr/testify/require"
)

func TestVertexExpressImageEditMultipart(t *testing.T) {
	png, _ := base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	require.NoError(t, w.WriteField("model", "gpt-image-1"))
	require.NoError(t, w.WriteField("prompt", "Add sunglasses"))
	require.NoError(t, w.WriteField("size", "1792x1024"))
	part, err := w.CreatePart(textproto.MIMEHeader{"Content-Disposition": {`form-data; name="image"; filename="cat.png"`}, "Content-Type": {"image/png"}})
	require.NoError(t, err)
	_, _ = part.Write(png)
	require.NoError(t, w.Close())

	config := `{"provider":{"type":"vertex","apiTokens":["AQ.express-key"],"modelMapping":{"gpt-image-1":"gemini-2.5-flash-image"}}}`
	run(t, config, func(t *testing.T, host test.TestHost) {
		headers := clientHeaders("/v1/images/edits")
		for i := range headers {
			if headers[i][0] == "content-type" {
				headers[i][1] = w.FormDataContentType()
			}
		}
		host.CallOnHttpRequestHeaders(headers)
		host.CallOnHttpRequestBody(body.Bytes())
		if lr := host.GetLocalResponse(); lr != nil {
			t.Fatalf("local reply %d: %s", lr.StatusCode, lr.Data)
		}
		h := host.GetRequestHeaders()
		require.Equal(t, "aiplatform.googleapis.com", header(h, ":authority"))
		require.Equal(t, "/v1/publishers/google/models/gemini-2.5-flash-image:generateContent?key=AQ.express-key", header(h, ":path"))
		require.Equal(t, "", header(h, "x-goog-api-key"))
		require.Equal(t, "", header(h, "authorization"))
		require.Equal(t, "application/json", header(h, "content-type"))
		require.JSONEq(t, `{"contents":[{"role":"user","parts":[{"text":"Add sunglasses"},{"inlineData":{"mimeType":"image/png","data":"`+base64.StdEncoding.EncodeToString(png)+`"}}]}],
			"generationConfig":{"responseModalities":["TEXT","IMAGE"],"imageConfig":{"aspectRatio":"16:9","imageSize":"2K"}}}`, string(host.GetRequestBody()))

		host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "application/json"}})
		host.CallOnHttpResponseBody([]byte(`{"candidates":[{"content":{"role":"model","parts":[{"text":"Done."},{"inlineData":{"mimeType":"image/png","data":"R0lGODlhAQABAAAAACw="}}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":270,"candidatesTokenCount":1290,"totalTokenCount":1560}}`))
		out := decode(t, host.GetResponseBody())
		require.Equal(t, []any{map[string]any{"b64_json": "R0lGODlhAQABAAAAACw="}}, out["data"])
		require.Equal(t, map[string]any{"total_tokens": float64(1560), "input_tokens": float64(270), "output_tokens": float64(1290),
			"input_tokens_details": map[string]any{"text_tokens": float64(270), "image_tokens": float64(0)}}, out["usage"])
	})
}
