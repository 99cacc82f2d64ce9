package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/vfpanel/vfpanel/internal/app"
	bill "github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// What the demo seed gives the demo customer. The keys are fixed so a
// restart replays instead of crediting or ordering again.
const (
	DemoCreditMinor  = 5000
	DemoCreditKey    = "demo-welcome-credit"
	DemoCreditReason = "Welcome credit (demo)"
	DemoOrderKey     = "demo-order-web-1"
	DemoServerName   = "demo-web-1"
	demoActor        = "local-demo-seed"
	demoLocation     = "London"
)

// demoOSPreference is the OS families tried for the demo server, in order.
var demoOSPreference = []string{"Ubuntu", "Debian"}

// DemoSeed is what SeedDemo left the demo customer with.
type DemoSeed struct {
	UserID       string
	VFUserID     int64
	CreditMinor  int64
	BalanceMinor int64
	Currency     string
	ServerID     int64 // 0 when no server was ordered
	ServerName   string
	Plan         string // package, location, OS and price
	ServerGone   bool   // ordered once, since deleted: not recreated
	OrderNote    string // why no server was ordered, when none was
}

// Banner describes the seed for the runner's start-up banner.
func (d *DemoSeed) Banner() []string {
	const pad = "                       "
	lines := []string{
		fmt.Sprintf("Demo seed:             %s linked to VirtFusion user #%d", DemoEmail, d.VFUserID),
		fmt.Sprintf("%swelcome credit %s %s (balance now %[2]s %[4]s)", pad, d.Currency, config.FormatMoney(d.CreditMinor), config.FormatMoney(d.BalanceMinor)),
	}
	switch {
	case d.ServerID == 0:
		lines = append(lines, pad+"no demo server: "+d.OrderNote)
	case d.ServerGone:
		lines = append(lines, fmt.Sprintf("%sserver %s (#%d) was deleted; not recreated", pad, d.ServerName, d.ServerID))
	default:
		lines = append(lines, fmt.Sprintf("%sserver %s (#%d): %s", pad, d.ServerName, d.ServerID, d.Plan))
	}
	return lines
}

// SeedDemo gives the demo customer a populated panel through the real code
// paths: it signs in through the auth function h serves (which links the
// account to VirtFusion), credits a welcome balance with billing's Adjust
// and orders the cheapest server with billing's PlaceOrder. Both use fixed
// idempotency keys, so running it on every start changes nothing after the
// first: the order's stored record is the marker that keeps a server the
// customer deleted from coming back.
func SeedDemo(ctx context.Context, st *Stack, h http.Handler) (*DemoSeed, error) {
	svc, err := app.BillingService(st.Deps)
	if err != nil {
		return nil, err
	}
	c := &demoClient{h: h}
	var in struct {
		User      *panel.User `json:"user"`
		CSRFToken string      `json:"csrfToken"`
	}
	creds, _ := json.Marshal(map[string]string{"email": DemoEmail, "password": DemoPassword})
	if err := c.do(ctx, "POST", "/api/auth/login", string(creds), http.StatusOK, &in); err != nil {
		return nil, fmt.Errorf("demo seed: sign in: %w", err)
	}
	// Sign out again so restarts don't pile up sessions in the account page.
	defer c.do(context.WithoutCancel(ctx), "POST", "/api/auth/logout", "", http.StatusNoContent, nil)
	c.csrf = in.CSRFToken
	u := in.User
	if u == nil || !u.Linked() {
		return nil, errors.New("demo seed: sign-in did not link the demo customer to VirtFusion")
	}
	out := &DemoSeed{UserID: u.ID, VFUserID: u.VFUserID, Currency: svc.Currency, ServerName: DemoServerName}

	credit, _, err := svc.Adjust(ctx, demoActor, u.ID, DemoCreditMinor, DemoCreditReason, DemoCreditKey)
	if err != nil {
		return nil, fmt.Errorf("demo seed: welcome credit: %w", err)
	}
	out.CreditMinor = credit.AmountMinor

	if err := seedServer(ctx, svc, c, u, out); err != nil {
		return nil, err
	}
	b, err := svc.Balance(ctx, u.ID)
	if err != nil {
		return nil, fmt.Errorf("demo seed: balance: %w", err)
	}
	out.BalanceMinor = b.BalanceMinor
	return out, nil
}

// seedServer orders the demo server once. A replay of the key answers with
// the first order's server, whether or not it still exists.
func seedServer(ctx context.Context, svc *bill.Service, c *demoClient, u *panel.User, out *DemoSeed) error {
	req, plan, err := demoOrder(ctx, c)
	if err != nil {
		return fmt.Errorf("demo seed: choose a server: %w", err)
	}
	p := &panel.Principal{UserID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, VFUserID: u.VFUserID, Via: "session"}
	res, err := svc.PlaceOrder(ctx, p, DemoOrderKey, req)
	var pe *panel.Error
	if errors.As(err, &pe) && pe.Code == panel.ECONFLICT {
		// Ordered before with another plan (the catalogue changed), or the
		// order is still being placed: either way, don't order again.
		out.OrderNote = pe.Message
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo seed: order %s: %w", DemoServerName, err)
	}
	var srv struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	if err := json.Unmarshal(res.Server, &srv); err != nil || srv.ID == 0 {
		return fmt.Errorf("demo seed: order %s answered no server: %s", DemoServerName, res.Server)
	}
	// A replay matched the same request, so the plan is still the one ordered.
	out.ServerID, out.Plan = srv.ID, plan
	billed, err := svc.Store.UserServers(ctx, u.ID)
	if err != nil {
		return fmt.Errorf("demo seed: servers: %w", err)
	}
	out.ServerGone = true
	for _, b := range billed {
		if b.ServerID == srv.ID && b.Status == panel.BilledActive {
			out.ServerGone = false
		}
	}
	return nil
}

// demoOrder picks the demo server from the public catalogue: the cheapest
// priced package, London (else the first location in stock) and the newest
// supported Ubuntu (else Debian).
func demoOrder(ctx context.Context, c *demoClient) (bill.OrderRequest, string, error) {
	req := bill.OrderRequest{Name: DemoServerName, Hostname: DemoServerName}
	var pkgs struct {
		Packages []panel.Package `json:"packages"`
	}
	if err := c.do(ctx, "GET", "/api/catalog/packages", "", http.StatusOK, &pkgs); err != nil {
		return req, "", err
	}
	var pkg *panel.Package
	for i, p := range pkgs.Packages {
		if p.Price != nil && (pkg == nil || p.Price.HourlyMinor < pkg.Price.HourlyMinor) {
			pkg = &pkgs.Packages[i]
		}
	}
	if pkg == nil {
		return req, "", errors.New("no package has a price")
	}
	var locs struct {
		Locations []panel.Location `json:"locations"`
	}
	if err := c.do(ctx, "GET", "/api/catalog/locations", "", http.StatusOK, &locs); err != nil {
		return req, "", err
	}
	var loc *panel.Location
	for i, l := range locs.Locations {
		if l.Available && (loc == nil || strings.EqualFold(l.Name, demoLocation) && !strings.EqualFold(loc.Name, demoLocation)) {
			loc = &locs.Locations[i]
		}
	}
	if loc == nil {
		return req, "", errors.New("no location has stock")
	}
	var tpls struct {
		Groups []panel.TemplateGroup `json:"groups"`
	}
	if err := c.do(ctx, "GET", fmt.Sprintf("/api/catalog/packages/%d/templates", pkg.ID), "", http.StatusOK, &tpls); err != nil {
		return req, "", err
	}
	var os *panel.Template
	for _, family := range demoOSPreference {
		for _, g := range tpls.Groups {
			if !strings.EqualFold(g.Name, family) {
				continue
			}
			for i, t := range g.Templates {
				if !t.EOL && (os == nil || t.ID > os.ID) { // higher id, newer release
					os = &g.Templates[i]
				}
			}
		}
		if os != nil {
			break
		}
	}
	if os == nil {
		return req, "", fmt.Errorf("package %d offers no supported %s", pkg.ID, strings.Join(demoOSPreference, " or "))
	}
	req.PackageID, req.LocationID, req.TemplateID = pkg.ID, loc.ID, os.ID
	plan := fmt.Sprintf("%s in %s, %s %s, %s %s/hour", pkg.Name, loc.Name, os.Name, os.Version,
		pkg.Price.Currency, config.FormatMoney(pkg.Price.HourlyMinor))
	return req, plan, nil
}

// demoClient sends requests straight into the runner, as a browser would.
type demoClient struct {
	h       http.Handler
	cookies []*http.Cookie
	csrf    string
}

// do sends one request and decodes the answer into out (nil: discard); any
// status but want is an error.
func (c *demoClient) do(ctx context.Context, method, path, body string, want int, out any) error {
	r := httptest.NewRequestWithContext(ctx, method, path, strings.NewReader(body))
	r.RemoteAddr = "127.0.0.1:1"
	r.Header.Set("User-Agent", "vfpanel-demo-seed")
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		r.Header.Set("X-CSRF-Token", c.csrf)
	}
	for _, ck := range c.cookies {
		r.AddCookie(ck)
	}
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, r)
	res := w.Result()
	defer res.Body.Close()
	if res.StatusCode != want {
		msg, _ := io.ReadAll(io.LimitReader(res.Body, 1<<10))
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, res.StatusCode, strings.TrimSpace(string(msg)))
	}
	for _, ck := range res.Cookies() {
		if ck.MaxAge >= 0 && ck.Value != "" {
			c.cookies = append(c.cookies, ck)
		}
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(res.Body).Decode(out)
}
