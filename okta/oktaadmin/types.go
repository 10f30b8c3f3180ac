package oktaadmin

import (
	"encoding/json"
	"fmt"
	"time"
)

// OAuthClient is a client (OAuth 2.0 app) for which a user or an
// authorization server has grants or tokens: Okta's OAuth2Client schema.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserResources/#tag/UserResources/operation/listUserClients
type OAuthClient struct {
	// ClientID is the client_id.
	ClientID string `json:"client_id"`
	// ClientName is the app's human-readable name.
	ClientName string `json:"client_name"`
	// ClientURI and LogoURI are the app's home page and logo, when set.
	ClientURI string `json:"client_uri,omitempty"`
	LogoURI   string `json:"logo_uri,omitempty"`
	// Links are the HAL links Okta sends (grants, tokens, client).
	Links map[string]HALLink `json:"_links,omitempty"`
}

// HALLink is one entry of a resource's _links object (Okta's HrefObject).
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/#tag/UserOAuth/operation/getRefreshTokenForUserAndClient
type HALLink struct {
	Href  string `json:"href"`
	Title string `json:"title,omitempty"`
	// Hints lists the methods the link allows, e.g. ["GET", "DELETE"].
	Hints *HALHints `json:"hints,omitempty"`
}

// HALHints are a link's hints (Okta's HrefHints): the methods it allows.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/#tag/UserOAuth/operation/getRefreshTokenForUserAndClient
type HALHints struct {
	Allow []string `json:"allow,omitempty"`
}

// Token statuses (GrantOrTokenStatus).
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/#tag/UserOAuth/operation/getRefreshTokenForUserAndClient
const (
	StatusActive  = "ACTIVE"
	StatusRevoked = "REVOKED"
)

// RefreshToken is a refresh token's metadata as Okta's management API shows
// it (the OAuth2RefreshToken schema). It holds the token's ID, never the
// token itself.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/#tag/UserOAuth/operation/getRefreshTokenForUserAndClient
type RefreshToken struct {
	// ID identifies the token in the management API (e.g.
	// "oar579Mcp7OUsNTlo0g3").
	ID string `json:"id"`
	// Status is StatusActive or StatusRevoked.
	Status string `json:"status"`
	// Created, LastUpdated and ExpiresAt are zero when Okta omits them.
	Created     time.Time `json:"created"`
	LastUpdated time.Time `json:"lastUpdated"`
	ExpiresAt   time.Time `json:"expiresAt"`
	// Issuer is the authorization server that issued the token.
	Issuer string `json:"issuer,omitempty"`
	// ClientID is the client the token was issued to. Okta's schema names
	// it clientId and its examples client_id; both are read.
	ClientID string `json:"clientId"`
	// UserID is the user the token was issued for.
	UserID string `json:"userId"`
	// Scopes are the scope names granted.
	Scopes []string `json:"scopes,omitempty"`
	// Embedded holds the scope objects when expand=scope was asked for.
	Embedded *TokenEmbedded `json:"_embedded,omitempty"`
	// Links are the HAL links Okta sends (self, revoke, app, user, ...).
	Links map[string]HALLink `json:"_links,omitempty"`
}

// TokenEmbedded is a token's _embedded object, present with expand=scope.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/#tag/UserOAuth/operation/listRefreshTokensForUserAndClient
type TokenEmbedded struct {
	Scopes []TokenScope `json:"scopes,omitempty"`
}

// TokenScope is a scope object embedded in a token (OAuth2RefreshTokenScope).
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/#tag/UserOAuth/operation/listRefreshTokensForUserAndClient
type TokenScope struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	DisplayName string `json:"displayName,omitempty"`
	Description string `json:"description,omitempty"`
}

// UnmarshalJSON reads the OAuth2RefreshToken schema, accepting the client ID
// as clientId (the schema) or client_id (Okta's examples), and empty or null
// timestamps.
func (t *RefreshToken) UnmarshalJSON(data []byte) error {
	var raw struct {
		ID          string             `json:"id"`
		Status      string             `json:"status"`
		Created     *string            `json:"created"`
		LastUpdated *string            `json:"lastUpdated"`
		ExpiresAt   *string            `json:"expiresAt"`
		Issuer      string             `json:"issuer"`
		ClientID    string             `json:"clientId"`
		ClientIDAlt string             `json:"client_id"`
		UserID      string             `json:"userId"`
		Scopes      []string           `json:"scopes"`
		Embedded    *TokenEmbedded     `json:"_embedded"`
		Links       map[string]HALLink `json:"_links"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	out := RefreshToken{ID: raw.ID, Status: raw.Status, Issuer: raw.Issuer, ClientID: raw.ClientID, UserID: raw.UserID,
		Scopes: raw.Scopes, Embedded: raw.Embedded, Links: raw.Links}
	if out.ClientID == "" {
		out.ClientID = raw.ClientIDAlt
	}
	for _, f := range []struct {
		name string
		src  *string
		dst  *time.Time
	}{{"created", raw.Created, &out.Created}, {"lastUpdated", raw.LastUpdated, &out.LastUpdated}, {"expiresAt", raw.ExpiresAt, &out.ExpiresAt}} {
		if f.src == nil || *f.src == "" {
			continue
		}
		ts, err := time.Parse(time.RFC3339Nano, *f.src)
		if err != nil {
			return fmt.Errorf("refresh token %s: %s %q is not an RFC 3339 time", raw.ID, f.name, *f.src)
		}
		*f.dst = ts
	}
	*t = out
	return nil
}
