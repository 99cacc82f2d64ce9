package auth0

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/auth0/go-jwt-middleware/v2/jwks"
	"github.com/auth0/go-jwt-middleware/v2/validator"
	jose "gopkg.in/go-jose/go-jose.v2"
)

// tokenClaims are the claims beyond the registered ones that vfpanel reads.
// The roles claim has a configurable name, so decoding is by hand.
type tokenClaims struct {
	rolesClaim string
	wantNonce  bool

	Exp           *json.Number
	Scope         string
	Email         string
	EmailVerified bool
	Name          string
	Nonce         string
	Roles         []string
}

// UnmarshalJSON reads the claims vfpanel uses, the roles claim by its
// configured name; malformed optional claims are left empty.
func (c *tokenClaims) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	get := func(name string, dst any) {
		if v, ok := raw[name]; ok {
			_ = json.Unmarshal(v, dst)
		}
	}
	if v, ok := raw["exp"]; ok && string(v) != "null" {
		n := json.Number(strings.TrimSpace(string(v)))
		c.Exp = &n
	}
	get("scope", &c.Scope)
	get("email", &c.Email)
	get("email_verified", &c.EmailVerified)
	get("name", &c.Name)
	get("nonce", &c.Nonce)
	if c.rolesClaim != "" {
		get(c.rolesClaim, &c.Roles)
	}
	return nil
}

type nonceKey struct{}

// Validate rejects what go-jwt-middleware v2 lets through: a token without
// exp is accepted there, and an ID token's nonce is ours to check.
func (c *tokenClaims) Validate(ctx context.Context) error {
	if c.Exp == nil {
		return errors.New("token has no exp claim")
	}
	if c.wantNonce {
		want, _ := ctx.Value(nonceKey{}).(string)
		if want != "" && c.Nonce != want {
			return errors.New("id token nonce does not match")
		}
	}
	return nil
}

// keySource hands the validator the tenant's JWKS from a caching provider,
// and when a token names a kid the cached set lacks (a key rotated in since
// the last fetch) refetches once, at most every refetchEvery.
type keySource struct {
	cache        *jwks.CachingProvider
	direct       *jwks.Provider
	refetchEvery time.Duration
	ttl          time.Duration

	mu        sync.Mutex
	fresh     *jose.JSONWebKeySet
	freshTill time.Time
	lastFetch time.Time
}

type kidKey struct{}

func newKeySource(issuer string, client *http.Client, ttl time.Duration) (*keySource, error) {
	u, err := url.Parse(issuer)
	if err != nil {
		return nil, fmt.Errorf("auth0: issuer %q: %w", issuer, err)
	}
	jwksURI, _ := url.Parse(strings.TrimSuffix(issuer, "/") + "/.well-known/jwks.json")
	return &keySource{
		// Lambda freezes between invocations, so refresh in the request
		// rather than in a background goroutine.
		cache: jwks.NewCachingProvider(u, ttl, jwks.WithCustomClient(client),
			jwks.WithCustomJWKSURI(jwksURI), jwks.WithSynchronousRefresh(true)),
		direct:       jwks.NewProvider(u, jwks.WithCustomClient(client), jwks.WithCustomJWKSURI(jwksURI)),
		refetchEvery: 30 * time.Second,
		ttl:          ttl,
	}, nil
}

func (k *keySource) keyFunc(ctx context.Context) (any, error) {
	v, err := k.cache.KeyFunc(ctx)
	if err != nil {
		return nil, err
	}
	set := v.(*jose.JSONWebKeySet)
	kid, _ := ctx.Value(kidKey{}).(string)
	if kid == "" || len(set.Key(kid)) > 0 {
		return set, nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	now := time.Now()
	if k.fresh != nil && now.Before(k.freshTill) && len(k.fresh.Key(kid)) > 0 {
		return k.fresh, nil
	}
	if now.Sub(k.lastFetch) < k.refetchEvery {
		return set, nil // unknown kid; the validator refuses the token
	}
	k.lastFetch = now
	fv, err := k.direct.KeyFunc(ctx)
	if err != nil {
		return set, nil
	}
	k.fresh, k.freshTill = fv.(*jose.JSONWebKeySet), now.Add(k.ttl)
	return k.fresh, nil
}

// headerKid reads the kid from a compact JWS header without trusting it.
func headerKid(token string) string {
	h, _, ok := strings.Cut(token, ".")
	if !ok || len(h) > 2048 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(h)
	if err != nil {
		return ""
	}
	var hdr struct {
		Kid string `json:"kid"`
	}
	_ = json.Unmarshal(b, &hdr)
	return hdr.Kid
}

// verifier checks RS256 tokens for one audience.
type verifier struct {
	v *validator.Validator
}

func newVerifier(keys *keySource, issuer, audience, rolesClaim string, skew time.Duration, idToken bool) (*verifier, error) {
	v, err := validator.New(keys.keyFunc, validator.RS256, issuer, []string{audience},
		validator.WithAllowedClockSkew(skew),
		validator.WithCustomClaims(func() validator.CustomClaims {
			return &tokenClaims{rolesClaim: rolesClaim, wantNonce: idToken}
		}))
	if err != nil {
		return nil, fmt.Errorf("auth0: validator: %w", err)
	}
	return &verifier{v: v}, nil
}

// verify returns the subject and custom claims of a valid token.
func (v *verifier) verify(ctx context.Context, token, nonce string) (string, *tokenClaims, error) {
	ctx = context.WithValue(ctx, kidKey{}, headerKid(token))
	if nonce != "" {
		ctx = context.WithValue(ctx, nonceKey{}, nonce)
	}
	out, err := v.v.ValidateToken(ctx, token)
	if err != nil {
		return "", nil, err
	}
	vc := out.(*validator.ValidatedClaims)
	tc := vc.CustomClaims.(*tokenClaims)
	if vc.RegisteredClaims.Subject == "" {
		return "", nil, errors.New("token has no sub")
	}
	return vc.RegisteredClaims.Subject, tc, nil
}

// Ping fetches the tenant's JWKS afresh (not from the cache) and checks it
// holds at least one key: the health check of everything token checks need.
func (c *Client) Ping(ctx context.Context) error {
	ks, err := newKeySource(c.cfg.Issuer, c.http, c.cfg.JWKSCacheTTL)
	if err != nil {
		return err
	}
	v, err := ks.direct.KeyFunc(ctx)
	if err != nil {
		return fmt.Errorf("auth0: fetch jwks: %w", err)
	}
	if set, ok := v.(*jose.JSONWebKeySet); !ok || len(set.Keys) == 0 {
		return errors.New("auth0: jwks holds no keys")
	}
	return nil
}

// verifiedCache remembers access tokens that passed verification, so a
// caller's next requests skip the RS256 check and the claims parsing. An
// entry lives until the token's exp, and at most maxAge (so a key removed
// from the JWKS stops being honoured soon); the cache is emptied when it
// reaches maxEntries (tokens are short-lived; a warm function sees few).
type verifiedCache struct {
	mu sync.Mutex
	m  map[string]verifiedToken
}

type verifiedToken struct {
	sub   string
	tc    *tokenClaims
	until time.Time
}

const (
	verifiedMaxAge     = 5 * time.Minute
	verifiedMaxEntries = 1024
)

func (c *verifiedCache) get(token string, now time.Time) (string, *tokenClaims, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[token]
	if !ok || !now.Before(v.until) {
		return "", nil, false
	}
	return v.sub, v.tc, true
}

func (c *verifiedCache) put(token, sub string, tc *tokenClaims, now time.Time) {
	exp, err := tc.Exp.Int64()
	if err != nil {
		return
	}
	until := time.Unix(exp, 0)
	if cap := now.Add(verifiedMaxAge); until.After(cap) {
		until = cap
	}
	if !now.Before(until) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= verifiedMaxEntries {
		c.m = make(map[string]verifiedToken)
	}
	c.m[token] = verifiedToken{sub: sub, tc: tc, until: until}
}
