module github.com/revokekit/revoke

go 1.25.0

require (
	github.com/go-jose/go-jose/v4 v4.1.8
	github.com/hashicorp/go-cleanhttp v0.5.2
	github.com/hashicorp/go-retryablehttp v0.7.8
	github.com/jarcoal/httpmock v1.4.2
	golang.org/x/oauth2 v0.35.0
)
