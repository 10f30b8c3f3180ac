// Package entra ends a user's sign-in sessions in Microsoft Entra ID ("this
// laptop was stolen: kill everything Alice holds").
//
// Entra has no RFC 7009 revocation endpoint, and its access tokens cannot be
// revoked one by one. What it offers is Microsoft Graph's
// revokeSignInSessions
// (https://learn.microsoft.com/graph/api/user-revokesigninsessions):
//
//	POST https://graph.microsoft.com/v1.0/users/{id | userPrincipalName}/revokeSignInSessions
//	Authorization: Bearer <Graph token>
//
// which resets the user's signInSessionsValidFromDateTime, so that every
// refresh token and browser session cookie issued before it stops working
// within a few minutes. Access tokens already issued stay valid until they
// expire, and guest (external) users are not affected.
//
// New returns a *Graph, which implements revoke.SubjectRevoker:
//
//	g, err := entra.New(entra.Config{
//		Tenant:       "contoso.onmicrosoft.com",
//		ClientID:     appID,
//		ClientSecret: secret, // or Certificate: &entra.Certificate{…}
//	})
//	report, err := g.RevokeSubject(ctx, revoke.OpaqueSubject(objectID))
//
// The application needs the Microsoft Graph application permission
// User.RevokeSessions.All, with admin consent. With ClientID the SDK gets
// Graph tokens itself, with the client credentials grant at
// https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token
// (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow),
// authenticated with a client secret or a certificate
// (https://learn.microsoft.com/entra/identity-platform/certificate-credentials);
// NewTokenSource builds that source on its own, and Config.TokenSource takes
// any other.
//
// Everything is built on the public adapter kit (package adapter): retries
// of 429 and 503 as Retry-After says, bounded reads, secret scrubbing, typed
// errors that match the sentinels of package revoke with errors.Is.
//
// For tests, package entratest emulates the token endpoint and Graph, with
// users whose sessions really end.
package entra
