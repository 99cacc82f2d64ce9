package gemini_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/gemini"
	"github.com/vfpanel/vfpanel/internal/panel"
	geminisim "github.com/vfpanel/vfpanel/internal/sim/gemini"
)

const key = "test-gemini-key"

func newClient(t *testing.T, cfg gemini.Config) (*gemini.Client, *geminisim.Sim) {
	t.Helper()
	sim := geminisim.New(key)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	cfg.BaseURL = srv.URL
	if cfg.APIKey == "" {
		cfg.APIKey = key
	}
	if cfg.Model == "" {
		cfg.Model = "gemini-2.5-flash"
	}
	return gemini.New(cfg), sim
}

func draftRequest() panel.DraftRequest {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	return panel.DraftRequest{
		Ticket: &panel.Ticket{ID: "t_1", Subject: "Disk full on web-1", Category: "technical", Priority: "high",
			Status: "open", ServerID: 42, ServerName: "web-1"},
		Messages: []*panel.TicketMessage{
			{Body: "My disk is full", CreatedAt: at},
			{Body: "legacy plan, be kind", Staff: true, Internal: true, AuthorName: "Sam", CreatedAt: at.Add(time.Minute)},
		},
		Customer:  "Balance: USD 12.00.\n",
		Knowledge: []*panel.CannedReply{{Title: "Disk resize", Body: "Resize from the server page."}},
		StaffName: "Sam",
	}
}

func TestDraftReplyRequestShape(t *testing.T) {
	c, sim := newClient(t, gemini.Config{})
	d, err := c.DraftReply(context.Background(), draftRequest())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.Text, "Disk full on web-1") || d.Model != "gemini-2.5-flash" || d.PromptTokens == 0 || d.OutputTokens == 0 {
		t.Fatalf("got %+v", d)
	}
	reqs := sim.Requests()
	if len(reqs) != 1 {
		t.Fatalf("got %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Model != "gemini-2.5-flash" || r.Body.SystemInstruction == nil || len(r.Body.Contents) != 1 || r.Body.Contents[0].Role != "user" {
		t.Fatalf("got %+v", r)
	}
	prompt := *r.Body.Contents[0].Parts[0].Text
	for _, want := range []string{"Resize from the server page.", "Balance: USD 12.00.", "My disk is full",
		"Internal staff note", "About server 42 \"web-1\"", "staff member Sam"} {
		if !strings.Contains(prompt, want) {
			t.Errorf("prompt lacks %q", want)
		}
	}
	if g := r.Body.GenerationConfig; g == nil || g.MaxOutputTokens == nil || *g.MaxOutputTokens <= 0 {
		t.Errorf("generationConfig: got %+v", g)
	}
}

func TestDraftReplyFailures(t *testing.T) {
	tests := []struct {
		name       string
		mode       string
		cfg        gemini.Config
		wantCode   string
		wantRetry  int
		wantInText string
	}{
		{"ErrPromptBlocked", geminisim.ModeBlockPrompt, gemini.Config{}, panel.EUPSTREAM, 0, "blocked: SAFETY"},
		{"ErrAnswerBlocked", geminisim.ModeSafety, gemini.Config{}, panel.EUPSTREAM, 0, "blocked (SAFETY)"},
		{"ErrRateLimited", geminisim.ModeRateLimit, gemini.Config{}, panel.ERATELIMITED, 30, "30 seconds"},
		{"ErrInternal", geminisim.ModeInternal, gemini.Config{}, panel.EUNAVAILABLE, 0, "having trouble"},
		{"ErrOverloaded", geminisim.ModeUnavailable, gemini.Config{}, panel.EUNAVAILABLE, 0, "having trouble"},
		{"ErrTimeout", geminisim.ModeSlow, gemini.Config{Timeout: 200 * time.Millisecond}, panel.ETIMEOUT, 0, "too long"},
		{"ErrWrongKey", "", gemini.Config{APIKey: "wrong"}, panel.EUPSTREAM, 0, "refused"},
		{"ErrUnknownModel", "", gemini.Config{Model: "gemini-0-nope"}, panel.EUPSTREAM, 0, "refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, sim := newClient(t, tt.cfg)
			if tt.mode != "" {
				sim.FailNext(tt.mode)
			}
			start := time.Now()
			_, err := c.DraftReply(context.Background(), draftRequest())
			var pe *panel.Error
			if !errors.As(err, &pe) || pe.Code != tt.wantCode || pe.RetryAfter != tt.wantRetry || !strings.Contains(pe.Message, tt.wantInText) {
				t.Fatalf("got %#v, want %s retry %d with %q", err, tt.wantCode, tt.wantRetry, tt.wantInText)
			}
			if time.Since(start) > 5*time.Second {
				t.Fatalf("took %v", time.Since(start))
			}
			// The next call (no failure queued) works again.
			if tt.mode != "" {
				if _, err := c.DraftReply(context.Background(), draftRequest()); err != nil {
					t.Fatalf("after the failure: %v", err)
				}
			}
		})
	}
	t.Run("ErrRetryDelayRoundsUp", func(t *testing.T) {
		c, sim := newClient(t, gemini.Config{})
		sim.SetRetryDelay("1.2s")
		sim.FailNext(geminisim.ModeRateLimit)
		_, err := c.DraftReply(context.Background(), draftRequest())
		var pe *panel.Error
		if !errors.As(err, &pe) || pe.RetryAfter != 2 {
			t.Fatalf("got %#v, want RetryAfter 2", err)
		}
	})
	t.Run("ErrNotSetUp", func(t *testing.T) {
		c := gemini.New(gemini.Config{BaseURL: "http://127.0.0.1:1", Model: "gemini-2.5-flash"})
		if _, err := c.DraftReply(context.Background(), draftRequest()); panel.ErrorCode(err) != panel.EUNAVAILABLE {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrUnreachable", func(t *testing.T) {
		c := gemini.New(gemini.Config{BaseURL: "http://127.0.0.1:1", APIKey: key, Model: "gemini-2.5-flash"})
		if _, err := c.DraftReply(context.Background(), draftRequest()); panel.ErrorCode(err) != panel.EUNAVAILABLE {
			t.Fatalf("got %v", err)
		}
	})
}

// TestSimulatorRefuses: the simulator refuses what the real API refuses,
// in Google's error shape.
func TestSimulatorRefuses(t *testing.T) {
	sim := geminisim.New(key)
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	tests := []struct {
		name, path, key, body string
		want                  int
		wantIn                string
	}{
		{"NoKey", "/v1beta/models/gemini-2.5-flash:generateContent", "", `{"contents":[{"parts":[{"text":"hi"}]}]}`, 403, `"PERMISSION_DENIED"`},
		{"WrongKey", "/v1beta/models/gemini-2.5-flash:generateContent", "x", `{"contents":[{"parts":[{"text":"hi"}]}]}`, 400, `"API_KEY_INVALID"`},
		{"UnknownModel", "/v1beta/models/nope:generateContent", key, `{"contents":[{"parts":[{"text":"hi"}]}]}`, 404, `"NOT_FOUND"`},
		{"UnknownField", "/v1beta/models/gemini-2.5-flash:generateContent", key, `{"contents":[{"parts":[{"text":"hi"}]}],"prompt":"x"}`, 400, `Unknown name \"prompt\"`},
		{"NoContents", "/v1beta/models/gemini-2.5-flash:generateContent", key, `{"contents":[]}`, 400, "contents is not specified"},
		{"EmptyParts", "/v1beta/models/gemini-2.5-flash:generateContent", key, `{"contents":[{"role":"user","parts":[]}]}`, 400, "must not be empty"},
		{"BadRole", "/v1beta/models/gemini-2.5-flash:generateContent", key, `{"contents":[{"role":"system","parts":[{"text":"hi"}]}]}`, 400, "valid role"},
		{"OK", "/v1beta/models/gemini-2.5-flash:generateContent", key, `{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}`, 200, `"finishReason":"STOP"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", srv.URL+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			if tt.key != "" {
				req.Header.Set("x-goog-api-key", tt.key)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var b strings.Builder
			buf := make([]byte, 4096)
			for {
				n, err := resp.Body.Read(buf)
				b.Write(buf[:n])
				if err != nil {
					break
				}
			}
			if resp.StatusCode != tt.want || !strings.Contains(b.String(), tt.wantIn) {
				t.Fatalf("got %d %s, want %d with %s", resp.StatusCode, b.String(), tt.want, tt.wantIn)
			}
		})
	}
}
