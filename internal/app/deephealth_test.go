package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/vfpanel/vfpanel/internal/api/health"
	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/mailpittest"
	"github.com/vfpanel/vfpanel/internal/sim/auth0sim"
	"github.com/vfpanel/vfpanel/internal/sim/paypalsim"
	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
)

// deadURL is where nothing listens: a service that is "down".
const deadURL = "http://127.0.0.1:1"

// deepEnv is a configuration with every outside service up: DynamoDB
// Local, the VirtFusion, PayPal and Auth0 simulators and Mailpit.
func deepEnv(t *testing.T) config.Config {
	t.Helper()
	_, table := dynamotest.NewTable(t)
	vf := vfsim.New(vfsim.Options{Token: "tok"})
	vfURL, err := vf.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { vf.Close() })
	pp := paypalsim.New(paypalsim.Options{ClientID: "pp-id", ClientSecret: "pp-secret"})
	ppURL, err := pp.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pp.Close() })
	a0 := auth0sim.New(auth0sim.Options{})
	if err := a0.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a0.Close() })
	mp := mailpittest.Shared(t)
	o := a0.Options()
	return config.Config{Version: "test", Region: "us-east-1", DynamoEndpoint: dynamotest.Endpoint(t), TableName: table,
		VirtFusionURL: vfURL, VirtFusionToken: "tok",
		PayPalAPIURL: ppURL, PayPalClientID: "pp-id", PayPalClientSecret: "pp-secret",
		Auth0Domain: a0.URL, Auth0ClientID: o.ClientID, Auth0ClientSecret: o.ClientSecret, Auth0Audience: o.Audience,
		Auth0Connection: o.Connection, Auth0RolesClaim: o.RolesClaim, SessionKey: "k",
		SMTPHost: mp.SMTPHost, SMTPPort: mp.SMTPPort, SMTPTLS: "none", MailFrom: "Acme <billing@acme.example>",
		HealthKey: "health-key-123"}
}

func deepVia(t *testing.T, cfg config.Config, key string) (int, health.DeepResponse) {
	t.Helper()
	d, err := NewDeps(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	h, err := Health(d)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/api/health?deep=1", nil)
	if key != "" {
		req.Header.Set(health.KeyHeader, key)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var body health.DeepResponse
	if rec.Code == http.StatusOK || rec.Code == http.StatusServiceUnavailable {
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("body: %v: %s", err, rec.Body)
		}
	}
	return rec.Code, body
}

// TestDeepHealth stops each service in turn: only its component reads
// down, the others stay ok, and the answer is 503 "degraded".
func TestDeepHealth(t *testing.T) {
	base := deepEnv(t)
	all := []string{health.CheckDynamoDB, health.CheckVirtFusion, health.CheckPayPal, health.CheckAuth0, health.CheckSMTP}
	tests := []struct {
		name string
		down string
		edit func(c *config.Config)
	}{
		{"OK", "", func(c *config.Config) {}},
		{"DynamoDBDown", health.CheckDynamoDB, func(c *config.Config) { c.DynamoEndpoint = deadURL }},
		{"VirtFusionDown", health.CheckVirtFusion, func(c *config.Config) { c.VirtFusionURL = deadURL }},
		{"PayPalDown", health.CheckPayPal, func(c *config.Config) { c.PayPalAPIURL = deadURL }},
		{"PayPalBadSecret", health.CheckPayPal, func(c *config.Config) { c.PayPalClientSecret = "wrong" }},
		{"Auth0Down", health.CheckAuth0, func(c *config.Config) { c.Auth0Domain = deadURL }},
		{"SMTPDown", health.CheckSMTP, func(c *config.Config) { c.SMTPHost, c.SMTPPort = "127.0.0.1", 1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := base
			tt.edit(&cfg)
			status, body := deepVia(t, cfg, cfg.HealthKey)
			wantStatus, wantWord := http.StatusOK, "ok"
			if tt.down != "" {
				wantStatus, wantWord = http.StatusServiceUnavailable, "degraded"
			}
			if status != wantStatus || body.Status != wantWord {
				t.Fatalf("got %d %q, want %d %q (%+v)", status, body.Status, wantStatus, wantWord, body.Checks)
			}
			rep := health.Report{Checks: body.Checks}
			for _, name := range all {
				want := health.StateOK
				if name == tt.down {
					want = health.StateDown
				}
				if got := rep.State(name); got != want {
					t.Errorf("%s: got %q, want %q", name, got, want)
				}
			}
		})
	}
}

func TestDeepHealthAccess(t *testing.T) {
	cfg := config.Config{Version: "test", Region: "us-east-1", DynamoEndpoint: deadURL, TableName: "t", HealthKey: "right-key"}
	tests := []struct {
		name, key string
		want      int
	}{
		{"ErrNoKeyNoSession", "", http.StatusUnauthorized},
		{"ErrWrongKey", "wrong-key", http.StatusForbidden},
		{"Key", "right-key", http.StatusServiceUnavailable}, // allowed; DynamoDB is down
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := deepVia(t, cfg, tt.key); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
	t.Run("ErrNoKeyConfigured", func(t *testing.T) {
		c := cfg
		c.HealthKey = ""
		if got, _ := deepVia(t, c, "anything"); got != http.StatusForbidden {
			t.Errorf("got %d, want 403", got)
		}
	})
}
