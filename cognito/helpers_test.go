package cognito_test

const (
	region   = "us-east-1"
	prefix   = "myapp"
	host     = "myapp.auth.us-east-1.amazoncognito.com"
	endpoint = "https://" + host + "/oauth2/revoke"
	apiURL   = "https://cognito-idp.us-east-1.amazonaws.com/"
	// clientID and secret have the shape Cognito generates.
	clientID = "1example23456789abcdefghij"
	secret   = "secret1example23456789abcdefghijklmnopqrstuvwxyz012"
	// token has the characters of a Cognito refresh token (a JWE).
	token = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.SECRET-part.iv_0123.cipher-text.tag_456"
)
