package logout

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
)

// outcome classifies what the application's callback said.
type outcome int

const (
	outcomeDone      outcome = iota // nil
	outcomeUnknown                  // ErrUnknownSubject
	outcomeCannot                   // ErrCannotRevoke
	outcomeForbidden                // ErrForbidden
	outcomeTimeout                  // the deadline passed (or the request ended)
	outcomeFailed                   // any other error
)

// errCallbackPanicked replaces a panic in the callback; the panic value is
// not logged (it might hold anything).
var errCallbackPanicked = errors.New("logout: callback panicked")

// call runs the callback with the deadline. It returns when the callback
// does or when the deadline passes, whichever is first: a callback that
// ignores its context cannot hang the handler (it runs on, alone).
func (s *settings) call(ctx context.Context, e Event) (outcome, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cbTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- errCallbackPanicked
			}
		}()
		done <- s.callback(ctx, e)
	}()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		return outcomeTimeout, ctx.Err()
	}
	switch {
	case err == nil:
		return outcomeDone, nil
	case errors.Is(err, ErrUnknownSubject):
		return outcomeUnknown, err
	case errors.Is(err, ErrCannotRevoke):
		return outcomeCannot, err
	case errors.Is(err, ErrForbidden):
		return outcomeForbidden, err
	case ctx.Err() != nil && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)):
		return outcomeTimeout, err
	}
	return outcomeFailed, err
}

// errorBody is the JSON error body (the shape of RFC 6749 §5.2). Its
// description is fixed text from this package, never request content.
type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// writeError answers status with a JSON error body and Cache-Control:
// no-store.
func writeError(w http.ResponseWriter, status int, code, description string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errorBody{Error: code, Description: description})
}

// writeEmpty answers status with no body and Cache-Control: no-store.
func writeEmpty(w http.ResponseWriter, status int) {
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
}

// hasMediaType reports whether the request's Content-Type is want
// (parameters such as charset are allowed).
func hasMediaType(r *http.Request, want string) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == want
}

// readBody reads the whole body up to MaxBodyBytes. tooLarge reports a body
// over the bound.
func readBody(w http.ResponseWriter, r *http.Request) (body []byte, tooLarge bool, err error) {
	if r.ContentLength > MaxBodyBytes {
		return nil, true, errors.New("body too large")
	}
	body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, true, err
	}
	return body, false, err
}

// logRefusal records a refused request: the reason is fixed text. Refused
// tokens and unavailable dependencies are warnings; malformed requests are
// informational.
func (s *settings) logRefusal(ctx context.Context, kind Kind, status int, reason, issuer string, warn bool) {
	level := slog.LevelInfo
	if warn {
		level = slog.LevelWarn
	}
	attrs := []slog.Attr{
		slog.String("handler", kind.String()),
		slog.Int("status", status),
		slog.String("reason", reason),
	}
	if issuer != "" {
		attrs = append(attrs, slog.String("issuer", issuer))
	}
	s.logger.LogAttrs(ctx, level, "logout: request refused", attrs...)
}

// logOutcome records what became of a verified request. The subject's
// identifiers are not logged (they are personal data; the callback has
// them): only their format.
func (s *settings) logOutcome(ctx context.Context, e Event, status int, o outcome, err error) {
	attrs := []slog.Attr{
		slog.String("handler", e.Kind.String()),
		slog.Int("status", status),
		slog.String("issuer", e.Issuer),
		slog.String("jti", e.JWTID),
		slog.String("subject_format", string(e.Subject.Format)),
		slog.Bool("session", e.SessionID != ""),
	}
	switch o {
	case outcomeDone:
		s.logger.LogAttrs(ctx, slog.LevelInfo, "logout: sessions ended", attrs...)
	case outcomeUnknown, outcomeCannot, outcomeForbidden:
		s.logger.LogAttrs(ctx, slog.LevelInfo, "logout: callback declined", append(attrs, slog.String("error", err.Error()))...)
	case outcomeTimeout:
		s.logger.LogAttrs(ctx, slog.LevelError, "logout: callback deadline passed", append(attrs, slog.Duration("timeout", s.cbTimeout))...)
	default:
		s.logger.LogAttrs(ctx, slog.LevelError, "logout: callback failed", append(attrs, slog.String("error", err.Error()))...)
	}
}
