package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/api/auth"
	"github.com/vfpanel/vfpanel/internal/api/notifications"
	"github.com/vfpanel/vfpanel/internal/auth0"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/localrun"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/routes"
	"github.com/vfpanel/vfpanel/internal/sim/auth0sim"
	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// clock is a settable clock shared by the handlers and the stores.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is the auth function behind the local API Gateway runner, against
// DynamoDB Local, the Auth0 simulator and the VirtFusion simulator.
type env struct {
	t        testing.TB
	url      string
	auth0    *auth0sim.Server
	vf       *vfsim.Sim
	vfClient *virtfusion.Client
	clock    *clock
	otpClock *clock // the authenticator app's clock (auth0sim OTPNow)
	deps     auth.Deps
	users    *dynamo.Users
	sessions *dynamo.Sessions
	outbox   *dynamo.Outbox
	ledger   *dynamo.Ledger
	handler  http.Handler // the mounted function, without the runner
}

type envOptions struct {
	secure      bool
	originKey   string // what CloudFront sends; "" for no check
	maxFailures int    // Auth0 brute-force threshold
	staffMFA    bool
}

func newEnv(t testing.TB, o envOptions) *env {
	t.Helper()
	db, table := dynamotest.NewTable(t)
	clk := &clock{t: time.Now().UTC()}
	store := dynamo.NewStore(db, table)
	store.Now = clk.Now

	var front http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { front.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)

	otpClk := &clock{t: time.Now().UTC()}
	sim := auth0sim.New(auth0sim.Options{MaxFailures: o.maxFailures, CallbackURLs: []string{srv.URL + "/api/auth/callback"},
		OTPNow: otpClk.Now})
	if err := sim.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	so := sim.Options()
	idp, err := auth0.New(auth0.Config{Issuer: sim.Issuer(), ClientID: so.ClientID, ClientSecret: so.ClientSecret,
		Audience: so.Audience, Connection: so.Connection, RolesClaim: so.RolesClaim})
	if err != nil {
		t.Fatal(err)
	}

	vf := vfsim.New(vfsim.Options{Token: "vf-token"})
	vfURL, err := vf.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = vf.Close() })
	vfc, err := virtfusion.New(virtfusion.Config{PanelURL: vfURL, Token: "vf-token"})
	if err != nil {
		t.Fatal(err)
	}

	e := &env{t: t, url: srv.URL, auth0: sim, vf: vf, vfClient: vfc, clock: clk, otpClock: otpClk,
		users: dynamo.NewUsers(store), sessions: dynamo.NewSessions(store), outbox: dynamo.NewOutbox(store), ledger: dynamo.NewLedger(store)}
	e.users.Welcome = auth.WelcomeNotes // as app.Auth wires it
	e.deps = auth.Deps{Users: e.users, Sessions: e.sessions, Limiter: dynamo.NewRateLimiter(store), IdP: idp, MFA: idp, Accounts: idp,
		Tokens: dynamo.NewAPITokens(store), Audit: dynamo.NewAuditLog(store), Notify: e.outbox,
		Records: e.ledger, Mail: e.outbox, Deleter: idp,
		StaffRequireMFA: o.staffMFA,
		VirtFusion:      virtfusion.UserLinker{Client: vfc}, PublicURL: srv.URL, CookieSecure: o.secure,
		AdminEmails: []string{"boss@example.com"}, StateKey: "test-state-key", Now: clk.Now}
	e.deps.ExistingAccount = auth.ExistingAccountMailer(e.users, e.outbox, clk.Now)
	h, err := httpx.Site{OriginKey: o.originKey}.Mount("auth", authHandlers(e.deps), auth.NewAuthenticator(e.deps))
	if err != nil {
		t.Fatal(err)
	}
	e.handler = h
	fns := map[string]localrun.LambdaHandler{}
	for _, f := range routes.Functions {
		fns[f] = localrun.Adapt(http.NotFoundHandler())
	}
	fns["auth"] = localrun.Adapt(h)
	rn, err := localrun.New(fns, "")
	if err != nil {
		t.Fatal(err)
	}
	front = rn
	return e
}

// browser is a client with a cookie jar that does not follow redirects.
type browser struct {
	e    *env
	c    *http.Client
	csrf string
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (r *response) errCode() string {
	if e, ok := r.body["error"].(map[string]any); ok {
		s, _ := e["code"].(string)
		return s
	}
	return ""
}

func (r *response) user() map[string]any {
	u, _ := r.body["user"].(map[string]any)
	return u
}

// do sends a request; header pairs follow the body.
func (b *browser) do(method, path string, body any, hdr ...string) *response {
	b.e.t.Helper()
	var rd io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		rd = bytes.NewReader(j)
	}
	u := path
	if strings.HasPrefix(path, "/") {
		u = b.e.url + path
	}
	req, _ := http.NewRequest(method, u, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", "auth-test")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := &response{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &out.body)
	if tok, ok := out.body["csrfToken"].(string); ok && tok != "" {
		b.csrf = tok
	}
	return out
}

// mutate sends a state-changing request with the CSRF token.
func (b *browser) mutate(method, path string, body any) *response {
	b.e.t.Helper()
	return b.do(method, path, body, auth.CSRFHeader, b.csrf)
}

func (b *browser) login(email, password string) *response {
	b.e.t.Helper()
	return b.do("POST", "/api/auth/login", map[string]string{"email": email, "password": password})
}

func (b *browser) mustLogin(email, password string) *response {
	b.e.t.Helper()
	r := b.login(email, password)
	if r.status != 200 {
		b.e.t.Fatalf("login %s: got %d %s", email, r.status, r.raw)
	}
	return r
}

// sessionCookie returns the session cookie the jar holds.
func (b *browser) sessionCookie() string {
	u, _ := url.Parse(b.e.url)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == auth.SessionCookieName(false) {
			return c.Value
		}
	}
	return ""
}

func (b *browser) setSessionCookie(v string) {
	u, _ := url.Parse(b.e.url)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: auth.SessionCookieName(false), Value: v, Path: "/"}})
}

// vfUserCreates counts POST /users calls VirtFusion received.
func (e *env) vfUserCreates() int {
	n := 0
	for _, c := range e.vf.Calls() {
		if c.Method == "POST" && c.Path == "/api/v1/users" {
			n++
		}
	}
	return n
}

func (e *env) storedUser(email string) *panel.User {
	e.t.Helper()
	u, err := e.users.User(context.Background(), auth.UserID(e.auth0.Subject(email)))
	if err != nil {
		e.t.Fatalf("stored user %s: %v", email, err)
	}
	return u
}

// authHandlers are the auth function's handlers, with the notification
// routes it also serves (as app.Auth mounts them).
func authHandlers(d auth.Deps) httpx.Handlers {
	hs := auth.Handlers(d)
	all := notifications.Handlers(notifications.Deps{Outbox: d.Notify.(*dynamo.Outbox), UnsubscribeKey: []byte(d.StateKey)})
	for _, rt := range routes.ForFunction("auth") {
		if h, ok := all[rt.Pattern()]; ok {
			hs[rt.Pattern()] = h
		}
	}
	return hs
}
