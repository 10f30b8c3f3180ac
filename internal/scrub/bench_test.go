package scrub_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/revokekit/revoke/internal/scrub"
)

// benchSecrets are what one call typically sends: a token, a client
// secret, the Basic header built from them and an RS256 client assertion.
func benchSecrets() []string {
	tok := "eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0." + strings.Repeat("aB3-_x9Z", 40)
	sec := "s3cr/t+v=l<u&e-0123456789"
	hdr := "Basic " + base64.StdEncoding.EncodeToString([]byte("client:"+sec))
	assertion := "eyJhbGciOiJSUzI1NiJ9." + strings.Repeat("Qz7_k", 60) + "." + strings.Repeat("mN0-p", 70)
	return []string{tok, sec, hdr, hdr[len("Basic "):], assertion}
}

func BenchmarkNew(b *testing.B) {
	secrets := benchSecrets()
	b.ReportAllocs()
	for b.Loop() {
		scrub.New(secrets...)
	}
}

// BenchmarkString scrubs bodies a server sends: a short JSON error with
// an echo, a 64 KiB HTML page with no secret (the worst common case: the
// whole error body read) and the same page with escapes in it.
func BenchmarkString(b *testing.B) {
	secrets := benchSecrets()
	sc := scrub.New(secrets...)
	page := strings.Repeat("<p>Something went wrong, please retry later.</p>\n", 64<<10/50)
	bodies := []struct{ name, text string }{
		{"json echo 1KiB", `{"error":"invalid_request","error_description":"bad token ` + secrets[0] + `"}`},
		{"html 64KiB", page},
		{"html escapes 64KiB", strings.Repeat("<p>Don&#39;t retry: 100%25 &amp; \\u0026 failed.</p>\n", 64<<10/52)},
		{"json echo escaped 1KiB", `{"error":"invalid_client","error_description":"bad secret ` + strings.NewReplacer("+", `\u002B`, "<", `\u003C`, "&", `\u0026`).Replace(secrets[1]) + ` for ` + secrets[0] + `"}`},
	}
	for _, body := range bodies {
		b.Run(body.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body.text)))
			for b.Loop() {
				sc.String(body.text)
			}
		})
	}
}

// BenchmarkTruncated scrubs a 64 KiB page cut short inside a token.
func BenchmarkTruncated(b *testing.B) {
	secrets := benchSecrets()
	sc := scrub.New(secrets...)
	page := strings.Repeat("<p>Something went wrong, please retry later.</p>\n", 64<<10/50)
	text := page + "token " + secrets[0][:100]
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		sc.Truncated(text)
	}
}
