package httpx

import (
	"crypto/subtle"
	"net/http"
	"sync/atomic"

	"github.com/vfpanel/vfpanel/internal/routes"
)

// originKey is the value CloudFront sends in routes.OriginVerifyHeader.
// It is process-wide because every function in a process sits behind the
// same distribution, and ClientIP, called from handlers, needs it too.
var originKey atomic.Pointer[string]

// SetOriginKey sets the key every request Mount serves must carry in
// X-Origin-Verify; "" (local runs, tests) turns the check off. Call it once
// at start-up, before serving.
func SetOriginKey(key string) { originKey.Store(&key) }

// fromSite reports whether r came through CloudFront: no key is set, or r
// carries it. The comparison is constant-time so the key cannot be guessed
// byte by byte from response times.
func fromSite(r *http.Request) bool {
	key := originKey.Load()
	if key == nil || *key == "" {
		return true
	}
	got := r.Header.Get(routes.OriginVerifyHeader)
	return subtle.ConstantTimeCompare([]byte(got), []byte(*key)) == 1
}

// viaVerifiedOrigin reports whether r carries the origin key, so it came
// through CloudFront and its X-Forwarded-For was written by CloudFront.
// Without a key (local runs, tests) nothing vouches for that header: the
// local runner has no proxy in front and its source IP is the client's.
func viaVerifiedOrigin(r *http.Request) bool {
	key := originKey.Load()
	return key != nil && *key != "" && fromSite(r)
}
