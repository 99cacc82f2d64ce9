package auth0

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// TestVerifiedCache: a verified token is reused until its exp and at most
// verifiedMaxAge, never after; a full cache starts afresh.
func TestVerifiedCache(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	claims := func(exp time.Time) *tokenClaims {
		n := json.Number(fmt.Sprint(exp.Unix()))
		return &tokenClaims{Exp: &n, Roles: []string{"admin"}}
	}
	tests := []struct {
		name string
		exp  time.Time
		at   time.Duration // when the cache is asked, after the put
		hit  bool
	}{
		{"HitBeforeExp", now.Add(time.Hour), time.Minute, true},
		{"MissAtExp", now.Add(time.Minute), time.Minute, false},
		{"MissAfterExp", now.Add(time.Minute), 2 * time.Minute, false},
		{"MissAfterMaxAge", now.Add(time.Hour), verifiedMaxAge, false},
		{"NotCachedWhenExpired", now.Add(-time.Second), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c verifiedCache
			c.put("tok", "auth0|a", claims(tt.exp), now)
			sub, tc, ok := c.get("tok", now.Add(tt.at))
			if ok != tt.hit {
				t.Fatalf("got hit=%v, want %v", ok, tt.hit)
			}
			if ok && (sub != "auth0|a" || tc.Roles[0] != "admin") {
				t.Errorf("got %q %+v", sub, tc)
			}
			if _, _, ok := c.get("other", now); ok {
				t.Error("an unseen token hit the cache")
			}
		})
	}
	t.Run("FullCacheStartsAfresh", func(t *testing.T) {
		var c verifiedCache
		for i := range verifiedMaxEntries + 1 {
			c.put(fmt.Sprint(i), "s", claims(now.Add(time.Hour)), now)
		}
		if len(c.m) != 1 {
			t.Fatalf("got %d entries, want 1", len(c.m))
		}
		if _, _, ok := c.get("0", now); ok {
			t.Error("an entry survived the reset")
		}
	})
}
