package httpx

import (
	"context"
	"crypto/subtle"
	"net/http"

	"github.com/vfpanel/vfpanel/internal/routes"
)

// Site is what the functions share about the site in front of them. Its
// OriginKey is the value CloudFront sends in routes.OriginVerifyHeader;
// "" (local runs, tests) turns the check off.
type Site struct {
	OriginKey string
}

// originKey marks a request's context with how the origin check went.
type originCtxKey struct{}

type originState int

const (
	originUnchecked originState = iota // no key configured
	originVerified                     // carries the key: came through CloudFront
	originRefused                      // a key is configured and r lacks it
)

// checkOrigin records in r's context whether r carries the key. The
// comparison is constant-time so the key cannot be guessed byte by byte
// from response times.
func (s Site) checkOrigin(r *http.Request) *http.Request {
	if s.OriginKey == "" {
		return r
	}
	st := originRefused
	if subtle.ConstantTimeCompare([]byte(r.Header.Get(routes.OriginVerifyHeader)), []byte(s.OriginKey)) == 1 {
		st = originVerified
	}
	return r.WithContext(context.WithValue(r.Context(), originCtxKey{}, st))
}

func originOf(r *http.Request) originState {
	st, _ := r.Context().Value(originCtxKey{}).(originState)
	return st
}

// fromSite reports whether r came through CloudFront, or no key is set.
func fromSite(r *http.Request) bool { return originOf(r) != originRefused }

// viaVerifiedOrigin reports whether r carries the origin key, so it came
// through CloudFront and its X-Forwarded-For was written by CloudFront.
// Without a key (local runs, tests) nothing vouches for that header: the
// local runner has no proxy in front and its source IP is the client's.
func viaVerifiedOrigin(r *http.Request) bool { return originOf(r) == originVerified }
