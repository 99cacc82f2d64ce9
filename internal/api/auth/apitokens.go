package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/routes"
)

// Personal API tokens: "vfp_" and 43 characters of base64url (256 random
// bits). Only their SHA-256 is stored (a hash suffices for a high-entropy
// secret: nothing to brute-force); the token is shown once.

const (
	maxAPITokens     = 20
	maxTokenLifetime = 366 * 24 * time.Hour
	// tokenRate is each token's request limit per minute.
	tokenRate = 120
)

// HashAPIToken is what is stored for a raw API token.
func HashAPIToken(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}

var errTokenInvalid = &panel.Error{Code: panel.EUNAUTHORIZED, Message: "The API token is not valid, has expired or was revoked."}

// apiToken authenticates "Authorization: Bearer vfp_…" and checks that
// the token's scope covers the route (routes.Route.TokenScope).
func (a *Authenticator) apiToken(r *http.Request, raw string) (*panel.Principal, error) {
	if a.d.Tokens == nil {
		return nil, panel.Errorf(panel.EUNAUTHORIZED, "API tokens are not accepted here.")
	}
	if len(raw) > 128 {
		return nil, errTokenInvalid
	}
	ctx := r.Context()
	hash := HashAPIToken(raw)
	t, err := a.d.Tokens.APITokenByHash(ctx, hash)
	if panel.ErrorCode(err) == panel.ENOTFOUND {
		return nil, errTokenInvalid
	}
	if err != nil {
		return nil, err
	}
	rt, ok := routes.ByPattern(r.Pattern)
	if !ok || !scopeCovers(t.Scope, rt.TokenScope()) {
		return nil, panel.Errorf(panel.EFORBIDDEN, "This API token's scope (%s) does not allow this request.", t.Scope)
	}
	if a.d.Limiter != nil {
		if err := a.d.Limiter.Allow(ctx, "apitoken:"+t.ID, tokenRate, time.Minute); err != nil {
			return nil, err
		}
	}
	now := a.d.Now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= touchEvery {
		if err := a.d.Tokens.TouchAPIToken(ctx, hash, now); err != nil {
			httpx.Logger(ctx).Warn("touch api token", "err", err)
		}
	}
	return &panel.Principal{UserID: t.UserID, Email: t.Email, Name: t.UserName, Role: panel.RoleCustomer,
		VFUserID: t.VFUserID, Via: "token", EmailVerified: t.EmailVerified, TokenID: t.ID}, nil
}

// scopeCovers reports whether a token with scope may call a route that
// needs need.
func scopeCovers(scope, need string) bool {
	switch need {
	case routes.TokenScopeRead:
		return scope == panel.ScopeRead || scope == panel.ScopePower || scope == panel.ScopeFull
	case routes.TokenScopePower:
		return scope == panel.ScopePower || scope == panel.ScopeFull
	case routes.TokenScopeFull:
		return scope == panel.ScopeFull
	}
	return false
}

// NewTokenRequest is the body of POST /api/account/tokens.
type NewTokenRequest struct {
	Name          string `json:"name"`
	Scope         string `json:"scope"`
	ExpiresInDays int    `json:"expiresInDays"`
}

// Valid implements httpx.Validator; it also trims the name.
func (n *NewTokenRequest) Valid() map[string]string {
	p := map[string]string{}
	n.Name = strings.TrimSpace(n.Name)
	switch c := utf8.RuneCountInString(n.Name); {
	case c == 0:
		p["name"] = "Name the token, e.g. after the script that uses it."
	case c > 64:
		p["name"] = "Use at most 64 characters."
	default:
		if m := panel.TextProblem(n.Name); m != "" {
			p["name"] = m
		}
	}
	if n.Scope != panel.ScopeRead && n.Scope != panel.ScopePower && n.Scope != panel.ScopeFull {
		p["scope"] = "Choose read, power or full."
	}
	if n.ExpiresInDays < 1 || time.Duration(n.ExpiresInDays)*24*time.Hour > maxTokenLifetime {
		p["expiresInDays"] = "Choose between 1 and 366 days."
	}
	return p
}

// NewToken is the answer to POST /api/account/tokens; Token is shown
// this once.
type NewToken struct {
	panel.APIToken
	Token string `json:"token"`
}

// APITokenList is the answer to GET /api/account/tokens.
type APITokenList struct {
	Tokens []*panel.APIToken `json:"tokens"`
}

func (h *handlers) listTokens(w http.ResponseWriter, r *http.Request) error {
	list, err := h.d.Tokens.UserAPITokens(r.Context(), panel.PrincipalFrom(r.Context()).UserID)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, APITokenList{Tokens: list})
}

func (h *handlers) createToken(w http.ResponseWriter, r *http.Request) error {
	in, err := httpx.Decode[NewTokenRequest](r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := panel.PrincipalFrom(ctx)
	raw := panel.APITokenPrefix + randomToken(32)
	hash := HashAPIToken(raw)
	now := h.d.Now().UTC()
	t := &panel.APIToken{ID: "tok_" + hash[:16], Hash: hash, Name: in.Name, Scope: in.Scope, CreatedAt: now,
		ExpiresAt: now.Add(time.Duration(in.ExpiresInDays) * 24 * time.Hour), UserID: p.UserID, VFUserID: p.VFUserID,
		Email: p.Email, UserName: p.Name, EmailVerified: p.EmailVerified}
	if err := h.d.Tokens.CreateAPIToken(ctx, t, maxAPITokens); err != nil {
		return err
	}
	h.audit(ctx, r, panel.ActAPITokenCreate, t.ID, in.Name+" ("+in.Scope+")")
	return httpx.Encode(w, http.StatusCreated, NewToken{APIToken: *t, Token: raw})
}

func (h *handlers) revokeToken(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := r.PathValue("id")
	if err := h.d.Tokens.RevokeAPIToken(ctx, panel.PrincipalFrom(ctx).UserID, id); err != nil {
		return err
	}
	h.audit(ctx, r, panel.ActAPITokenRevoke, id, "")
	return httpx.NoContent(w)
}

// audit records an account change; a failure to record is logged, not
// returned, as the change itself happened.
func (h *handlers) audit(ctx context.Context, r *http.Request, action panel.ActivityKind, target, detail string) {
	if h.d.Audit == nil {
		return
	}
	p := panel.PrincipalFrom(ctx)
	e := panel.AuditEntry{UserID: p.UserID, Actor: p.UserID, Action: action, Target: "api-token:" + target,
		Outcome: panel.OutcomeOK, Detail: detail, IP: httpx.ClientIP(r)}
	if err := h.d.Audit.RecordAudit(context.WithoutCancel(ctx), e); err != nil {
		httpx.Logger(ctx).Error("audit", "action", action, "err", err)
	}
}
