package hookpost_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vfpanel/vfpanel/internal/hookpost"
	"github.com/vfpanel/vfpanel/internal/panel"
	discordsim "github.com/vfpanel/vfpanel/internal/sim/discord"
)

func TestPostHook(t *testing.T) {
	dsim := discordsim.New()
	dsrv := httptest.NewServer(dsim.Handler())
	defer dsrv.Close()
	discordURL := dsrv.URL + dsim.NewWebhook()
	var slackBody map[string]string
	slack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewDecoder(r.Body).Decode(&slackBody)
		if r.URL.Path == "/gone" {
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer slack.Close()
	alert := &panel.StaffAlert{Title: "Alert on web-1: high CPU", Description: "CPU has been above 80 %."}
	tests := []struct {
		name         string
		url          string
		allowPrivate bool
		code         string // "" = delivered
	}{
		{"OKDiscordSimulator", discordURL, true, ""},
		{"OKSlackCompatible", slack.URL + "/services/T/B/x", true, ""},
		{"ErrGone", slack.URL + "/gone", true, panel.EINVALID},
		{"ErrLoopbackInProd", strings.Replace(discordURL, "http://", "https://", 1), false, panel.EINVALID},
		{"ErrHTTPInProd", "http://hooks.example.com/x", false, panel.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := hookpost.New("vfpanel", tt.allowPrivate).PostHook(context.Background(), tt.url, alert)
			if got := panel.ErrorCode(err); got != tt.code {
				t.Fatalf("got %q (%v), want %q", got, err, tt.code)
			}
			if err != nil && strings.Contains(err.Error(), tt.url) {
				t.Errorf("the URL leaked into the error: %v", err)
			}
		})
	}
	if posts := dsim.Posts(); len(posts) != 1 || posts[0].Body.Embeds[0].Title != alert.Title {
		t.Errorf("discord got %+v", posts)
	}
	if !strings.Contains(slackBody["text"], "high CPU") {
		t.Errorf("slack got %v", slackBody)
	}
}

// TestDialRefusesPrivate: outside local development the poster's client
// refuses to connect to a non-public address even when the URL check is
// bypassed (a host name resolving inside), at dial time.
func TestDialRefusesPrivate(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	if _, err := hookpost.New("vfpanel", false).HTTP.Get(srv.URL); err == nil || !strings.Contains(err.Error(), "non-public address") {
		t.Fatalf("got %v, want the dial refused", err)
	}
	resp, err := hookpost.New("vfpanel", true).HTTP.Get(srv.URL)
	if err != nil {
		t.Fatalf("local development: got %v", err)
	}
	resp.Body.Close()
}
