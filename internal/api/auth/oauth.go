package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// oauthState is what the browser carries between /authorize and /callback,
// sealed (AES-GCM under a key derived from StateKey) in a short-lived
// HttpOnly cookie: the PKCE verifier never leaves the browser unencrypted
// and nothing is stored server-side.
type oauthState struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	ReturnTo string `json:"r"`
	Expires  int64  `json:"e"`
}

func (h *handlers) aead() cipher.AEAD {
	key := sha256.Sum256([]byte("vfpanel oauth state v1\x00" + h.d.StateKey))
	block, _ := aes.NewCipher(key[:])
	g, _ := cipher.NewGCM(block)
	return g
}

func (h *handlers) seal(st oauthState) string {
	b, _ := json.Marshal(st)
	g := h.aead()
	nonce := make([]byte, g.NonceSize())
	_, _ = rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(g.Seal(nonce, nonce, b, []byte("oauth")))
}

func (h *handlers) open(v string) (*oauthState, error) {
	b, err := base64.RawURLEncoding.DecodeString(v)
	g := h.aead()
	if err != nil || len(b) < g.NonceSize() {
		return nil, errors.New("malformed state cookie")
	}
	plain, err := g.Open(nil, b[:g.NonceSize()], b[g.NonceSize():], []byte("oauth"))
	if err != nil {
		return nil, errors.New("state cookie does not authenticate")
	}
	var st oauthState
	if err := json.Unmarshal(plain, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

func (h *handlers) stateCookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: stateCookieName(h.d.CookieSecure), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: h.d.CookieSecure, SameSite: http.SameSiteLaxMode}
}

// safeReturnTo keeps the post-sign-in redirect on our own site. It
// returns the target in the form the callback's http.Redirect will send
// (http.Redirect cleans the path), so the checks apply to what the browser
// gets: "/./\evil.com" cleans to "/\evil.com", which browsers open as
// "//evil.com", another site. Anything doubtful becomes "/".
func safeReturnTo(s string) string {
	if s == "" || len(s) > 512 || s[0] != '/' || strings.HasPrefix(s, "//") {
		return "/"
	}
	for i := 0; i < len(s); i++ {
		// Browsers drop tabs and newlines from URLs and read a backslash
		// as a slash: "/<TAB>/evil.com" and "/\evil.com" are "//evil.com".
		if c := s[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return "/"
		}
	}
	p, rest := s, ""
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		p, rest = s[:i], s[i:]
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	if !strings.HasPrefix(clean, "/") || strings.HasPrefix(clean, "//") {
		return "/"
	}
	out := clean + rest
	if u, err := url.Parse(out); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	return out
}

func (h *handlers) callbackURL() string { return h.d.PublicURL + "/api/auth/callback" }

// authorize starts Universal Login: Authorization Code with PKCE (S256),
// state and nonce.
func (h *handlers) authorize(w http.ResponseWriter, r *http.Request) error {
	st := oauthState{State: randomToken(32), Nonce: randomToken(32), Verifier: randomToken(48),
		ReturnTo: safeReturnTo(r.URL.Query().Get("returnTo")), Expires: h.d.Now().Add(stateTTL).Unix()}
	sum := sha256.Sum256([]byte(st.Verifier))
	http.SetCookie(w, h.stateCookie(h.seal(st), int(stateTTL.Seconds())))
	target := h.d.IdP.AuthorizeURL(panel.AuthorizeRequest{RedirectURI: h.callbackURL(), State: st.State,
		Nonce: st.Nonce, CodeChallenge: base64.RawURLEncoding.EncodeToString(sum[:])})
	http.Redirect(w, r, target, http.StatusFound)
	return nil
}

// callback finishes Universal Login. Problems send the browser back to the
// login page with an error code instead of showing JSON.
func (h *handlers) callback(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	log := httpx.Logger(ctx)
	fail := func(code string, err error) error {
		log.Info("oauth callback refused", "reason", code, "err", err)
		http.Redirect(w, r, "/login?error="+url.QueryEscape(code), http.StatusFound)
		return nil
	}
	c, err := r.Cookie(stateCookieName(h.d.CookieSecure))
	http.SetCookie(w, h.stateCookie("", -1)) // single use, whatever happens
	if err != nil {
		return fail("state", errors.New("no state cookie"))
	}
	st, err := h.open(c.Value)
	if err != nil {
		return fail("state", err)
	}
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(st.State)) != 1 {
		return fail("state", errors.New("state does not match"))
	}
	if h.d.Now().Unix() > st.Expires {
		return fail("expired", errors.New("state expired"))
	}
	if e := q.Get("error"); e != "" {
		return fail(e, errors.New(q.Get("error_description")))
	}
	if q.Get("code") == "" {
		return fail("code", errors.New("no code"))
	}
	id, err := h.d.IdP.Exchange(ctx, q.Get("code"), st.Verifier, h.callbackURL(), st.Nonce)
	if err != nil {
		code := panel.ErrorCode(err)
		if code == panel.EINTERNAL {
			log.Error("oauth code exchange", "err", err)
		}
		return fail(code, err)
	}
	if _, err := h.startSession(w, r, id); err != nil {
		return fail(panel.ErrorCode(err), err)
	}
	http.Redirect(w, r, st.ReturnTo, http.StatusFound)
	return nil
}
