// Vertex AI in Higress's test host: the service account's token is fetched by an HTTP callout to the cluster Higress
// builds from vertexAuthServiceName (wrapper.DnsCluster: outbound|443||<name>.dns), the request waits for it and
// then reaches the region's host at the model's URL with the Bearer token. Expected values come from Google's and
// Anthropic's documentation (https://developers.google.com/identity/protocols/oauth2/service-account#httprest,
// https://docs.anthropic.com/en/api/claude-on-vertex-ai). The key is generated for the test.
package higress

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/url"
	"strings"
	"testing"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/test"
	"github.com/stretchr/testify/require"
)

func vertexConfig(t *testing.T) (string, *rsa.PublicKey) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	saKey, _ := json.Marshal(map[string]string{
		"type": "service_account", "client_email": "gw@test-project.iam.gserviceaccount.com", "token_uri": "https://oauth2.googleapis.com/token",
		"private_key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
	})
	config, _ := json.Marshal(map[string]any{"provider": map[string]any{
		"type": "vertex", "vertexAuthKey": string(saKey), "vertexRegion": "us-central1", "vertexProjectId": "test-project",
		"vertexAuthServiceName": "vertex-auth", "modelMapping": map[string]string{"*": "claude-sonnet-4-5@20250929"},
	}})
	return string(config), &key.PublicKey
}

func TestVertexServiceAccountTokenByCallout(t *testing.T) {
	config, public := vertexConfig(t)
	run(t, config, func(t *testing.T, host test.TestHost) {
		// The URL names the model: the headers wait for the body, the body for the token.
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		action := host.CallOnHttpRequestBody([]byte(`{"model":"gpt-4o","max_tokens":64,"messages":[{"role":"user","content":"Hello"}]}`))
		if lr := host.GetLocalResponse(); lr != nil {
			t.Fatalf("local reply %d: %s", lr.StatusCode, lr.Data)
		}
		require.Equal(t, types.ActionPause, action)

		calls := host.GetHttpCalloutAttributes()
		require.Len(t, calls, 1)
		require.Equal(t, "outbound|443||vertex-auth.dns", calls[0].Upstream)
		require.Equal(t, "POST", header(calls[0].Headers, ":method"))
		require.Equal(t, "oauth2.googleapis.com", header(calls[0].Headers, ":authority"))
		require.Equal(t, "/token", header(calls[0].Headers, ":path"))
		form, err := url.ParseQuery(string(calls[0].Body))
		require.NoError(t, err)
		require.Equal(t, "urn:ietf:params:oauth:grant-type:jwt-bearer", form.Get("grant_type"))
		parts := strings.Split(form.Get("assertion"), ".")
		require.Len(t, parts, 3)
		digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
		sig, err := base64.RawURLEncoding.DecodeString(parts[2])
		require.NoError(t, err)
		require.NoError(t, rsa.VerifyPKCS1v15(public, crypto.SHA256, digest[:], sig), "RS256 signature")

		host.CallOnHttpCall([][2]string{{":status", "200"}, {"content-type", "application/json"}}, []byte(`{"access_token":"ya29.higress-test","expires_in":3599,"token_type":"Bearer"}`))
		h := host.GetRequestHeaders()
		require.Equal(t, "us-central1-aiplatform.googleapis.com", header(h, ":authority"))
		require.Equal(t, "/v1/projects/test-project/locations/us-central1/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict", header(h, ":path"))
		require.Equal(t, "Bearer ya29.higress-test", header(h, "authorization"))
		sent := decode(t, host.GetRequestBody())
		require.Nil(t, sent["model"])
		require.Equal(t, "vertex-2023-10-16", sent["anthropic_version"])
		require.Equal(t, float64(64), sent["max_tokens"])

		// Anthropic's documented message answer, converted for the OpenAI client.
		host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "application/json"}})
		host.CallOnHttpResponseBody([]byte(`{"id":"msg_vrtx_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Hi!"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":8,"output_tokens":2}}`))
		out := decode(t, host.GetResponseBody())
		require.Equal(t, "chat.completion", out["object"])
		choice := out["choices"].([]any)[0].(map[string]any)
		require.Equal(t, "Hi!", choice["message"].(map[string]any)["content"])
		host.CompleteHttp()
	})
}

// Express mode embeddings in Higress's test host: OpenAI's request becomes Vertex's :predict request
// (https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/text-embeddings-api) at the express host,
// the key as ?key= (https://cloud.google.com/vertex-ai/generative-ai/docs/start/express-mode/vertex-ai-express-mode-api-reference),
// no key header, and the predictions come back as OpenAI's list.
func TestVertexExpressEmbeddingsPredict(t *testing.T) {
	run(t, `{"provider":{"type":"vertex","apiTokens":["AQ.express-test"]}}`, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/embeddings"))
		require.Equal(t, types.ActionContinue, host.CallOnHttpRequestBody([]byte(`{"model":"text-embedding-005","input":["a","b"]}`)))
		h := host.GetRequestHeaders()
		require.Equal(t, "aiplatform.googleapis.com", header(h, ":authority"))
		require.Equal(t, "/v1/publishers/google/models/text-embedding-005:predict?key=AQ.express-test", header(h, ":path"))
		require.Equal(t, "/v1/embeddings", header(h, "x-envoy-original-path"))
		require.Equal(t, "", header(h, "x-goog-api-key"))
		require.Equal(t, "", header(h, "authorization"))
		require.JSONEq(t, `{"instances":[{"content":"a"},{"content":"b"}]}`, string(host.GetRequestBody()))

		host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "application/json"}})
		host.CallOnHttpResponseBody([]byte(`{"predictions":[{"embeddings":{"values":[0.5,-1],"statistics":{"truncated":false,"token_count":1}}},{"embeddings":{"values":[2,0.25],"statistics":{"truncated":false,"token_count":1}}}]}`))
		require.JSONEq(t, `{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-1]},{"object":"embedding","index":1,"embedding":[2,0.25]}],"model":"text-embedding-005","usage":{"prompt_tokens":2,"total_tokens":2}}`, string(host.GetResponseBody()))
		host.CompleteHttp()
	})
}
