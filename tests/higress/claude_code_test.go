// claudeCodeMode in Higress's test host: the request goes out the way Claude Code sends it (Higress's README: Bearer
// OAuth token, Claude Code's headers, ?beta=true, Claude Code's system prompt), with the configured token only.
package higress

import (
	"testing"

	"github.com/higress-group/wasm-go/pkg/test"
	"github.com/stretchr/testify/require"
)

func TestClaudeCodeModeSendsClaudeCodesRequest(t *testing.T) {
	run(t, `{"provider":{"type":"claude","apiTokens":["sk-ant-oat01-configured"],"claudeCodeMode":true}}`, func(t *testing.T, host test.TestHost) {
		host.CallOnHttpRequestHeaders(clientHeaders("/v1/chat/completions"))
		host.CallOnHttpRequestBody([]byte(`{"model":"claude-sonnet-4-5","max_tokens":50,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}`))
		h := host.GetRequestHeaders()
		require.Equal(t, "/v1/messages?beta=true", header(h, ":path"))
		require.Equal(t, "Bearer sk-ant-oat01-configured", header(h, "authorization"))
		require.False(t, test.HasHeader(h, "x-api-key"))
		require.Equal(t, "oauth-2025-04-20,interleaved-thinking-2025-05-14,claude-code-20250219", header(h, "anthropic-beta"))
		require.Equal(t, "claude-cli/2.1.2 (external, cli)", header(h, "user-agent"))
		require.Equal(t, "cli", header(h, "x-app"))
		require.Equal(t, `{"model":"claude-sonnet-4-5","max_tokens":50,"system":[{"type":"text","text":"You are Claude Code, Anthropic's official CLI for Claude.","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Be brief."}],"messages":[{"role":"user","content":"Hi"}]}`, string(host.GetRequestBody()))
	})
}
