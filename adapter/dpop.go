package adapter

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/revokekit/revoke/internal/errbody"
)

// nonces remembers the latest DPoP-Nonce each server sent (RFC 9449 §8),
// keyed by origin.
type nonces struct {
	mu sync.Mutex
	m  map[string]string
}

func (n *nonces) get(origin string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.m[origin]
}

func (n *nonces) set(origin, v string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.m == nil {
		n.m = map[string]string{}
	}
	n.m[origin] = v
}

// maxNonce bounds a nonce kept from a server.
const maxNonce = 1024

// addDPoP adds a fresh proof of possession to an attempt when the adapter
// was built with revoke.WithDPoP: a new jti and iat every attempt, htm and
// htu of this request (htu without query or fragment, RFC 9449 §4.2), ath
// when an access token is presented, and the server's latest nonce.
func (st *callState) addDPoP(h http.Header) error {
	d := st.c.s.DPoP
	if d == nil {
		return nil
	}
	nonce := st.c.nonces.get(origin(st.url))
	proof, err := d.Proof(st.method, endpoint(st.url), st.accessToken, nonce)
	if err != nil {
		return st.buildError(err)
	}
	h["Dpop"] = []string{proof}
	st.secrets = append(st.secrets, proof)
	st.dpopSent = nonce
	return nil
}

func origin(u interface{ String() string }) string {
	s := u.String()
	if i := strings.Index(s, "://"); i >= 0 {
		if j := strings.IndexByte(s[i+3:], '/'); j >= 0 {
			return s[:i+3+j]
		}
	}
	return s
}

// learnNonce remembers a nonce the server sent, on any answer.
func (st *callState) learnNonce(resp *http.Response) string {
	if st.c.s.DPoP == nil {
		return ""
	}
	v := strings.TrimSpace(resp.Header.Get("DPoP-Nonce"))
	if v == "" || len(v) > maxNonce || strings.ContainsFunc(v, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
		return ""
	}
	st.c.nonces.set(origin(st.url), v)
	return v
}

// retryDPoPNonce reports whether resp asks for the nonce handshake: an
// authorization server answers 400 use_dpop_nonce (RFC 9449 §8), a
// resource server 401 with WWW-Authenticate: DPoP error="use_dpop_nonce"
// (§9), each with a DPoP-Nonce header. The attempt is retried once with
// the nonce, whatever the retry policy: it is part of the protocol.
func (st *callState) retryDPoPNonce(resp *http.Response, nonce string) bool {
	if nonce == "" || nonce == st.dpopSent || st.nonceRetried {
		return false
	}
	asked := false
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		for _, v := range resp.Header.Values("WWW-Authenticate") {
			if strings.Contains(v, "use_dpop_nonce") {
				asked = true
			}
		}
	case http.StatusBadRequest:
		peek, _ := io.ReadAll(io.LimitReader(resp.Body, errorBodyBytes))
		resp.Body = readCloser{io.MultiReader(bytes.NewReader(peek), resp.Body), resp.Body}
		b, ok := errbody.Parse(peek)
		asked = ok && b.Code == "use_dpop_nonce"
	}
	if asked {
		st.nonceRetried = true
		st.wait = 0
	}
	return asked
}

type readCloser struct {
	io.Reader
	io.Closer
}
