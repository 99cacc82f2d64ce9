package discord_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/discord"
	"github.com/vfpanel/vfpanel/internal/panel"
	simdiscord "github.com/vfpanel/vfpanel/internal/sim/discord"
)

func newClient(t *testing.T) (*discord.Client, *simdiscord.Sim, *[]time.Duration) {
	t.Helper()
	sim := simdiscord.New()
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	c := discord.New(srv.URL+sim.NewWebhook(), "vfpanel")
	var slept []time.Duration
	c.Sleep = func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }
	return c, sim, &slept
}

func alert() *panel.StaffAlert {
	return &panel.StaffAlert{Title: "New sign-up", Description: "ada@example.com signed up.", Color: 0x2563eb,
		Fields: []panel.StaffField{{Name: "User", Value: "u_1"}}, At: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
}

func TestNotifyStaff(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c, sim, _ := newClient(t)
		if err := c.NotifyStaff(context.Background(), alert()); err != nil {
			t.Fatal(err)
		}
		posts := sim.Posts()
		if len(posts) != 1 || len(posts[0].Body.Embeds) != 1 || posts[0].Body.Embeds[0].Title != "New sign-up" ||
			posts[0].Body.Embeds[0].Fields[0].Value != "u_1" || posts[0].Body.Username != "vfpanel" {
			t.Fatalf("got %+v", posts)
		}
	})
	// Discord's 429 body carries retry_after in seconds (a float):
	// https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit
	t.Run("RateLimitedShortWaitsThenSends", func(t *testing.T) {
		c, sim, slept := newClient(t)
		sim.RateLimitNext(1, 1.5)
		if err := c.NotifyStaff(context.Background(), alert()); err != nil {
			t.Fatal(err)
		}
		if len(*slept) != 1 || (*slept)[0] != 1500*time.Millisecond {
			t.Errorf("slept %v, want [1.5s]", *slept)
		}
		if n := len(sim.Posts()); n != 1 {
			t.Errorf("got %d posts, want 1", n)
		}
	})
	t.Run("ErrRateLimitedLong", func(t *testing.T) {
		c, sim, slept := newClient(t)
		sim.RateLimitNext(1, 64.57)
		err := c.NotifyStaff(context.Background(), alert())
		var pe *panel.Error
		if panel.ErrorCode(err) != panel.ERATELIMITED || !errors.As(err, &pe) || pe.RetryAfter != 65 {
			t.Fatalf("got %v, want rate_limited with RetryAfter 65", err)
		}
		if len(*slept) != 0 || len(sim.Posts()) != 0 {
			t.Errorf("slept %v, posts %d; want neither", *slept, len(sim.Posts()))
		}
	})
	t.Run("ErrUnknownWebhook", func(t *testing.T) {
		c, sim, _ := newClient(t)
		c.WebhookURL = strings.Replace(c.WebhookURL, "/api/webhooks/", "/api/webhooks/9", 1)
		err := c.NotifyStaff(context.Background(), alert())
		if panel.ErrorCode(err) != panel.EINVALID {
			t.Fatalf("got %v, want invalid", err)
		}
		if strings.Contains(err.Error(), c.WebhookURL) || len(sim.Posts()) != 0 {
			t.Fatal("unexpected post")
		}
	})
	t.Run("ErrOverLimitRefusedBySim", func(t *testing.T) {
		c, sim, _ := newClient(t)
		err := c.Post(context.Background(), &discord.Message{Embeds: []discord.Embed{{Title: strings.Repeat("x", 257)}}})
		if panel.ErrorCode(err) != panel.EINVALID || !strings.Contains(err.Error(), "50035") {
			t.Fatalf("got %v, want invalid form body", err)
		}
		if len(sim.Posts()) != 0 {
			t.Fatal("over-limit post recorded")
		}
	})
	t.Run("OversizedAlertIsCutToLimits", func(t *testing.T) {
		c, sim, _ := newClient(t)
		a := alert()
		a.Title, a.Description = strings.Repeat("t", 300), strings.Repeat("d", 5000)
		for range 30 {
			a.Fields = append(a.Fields, panel.StaffField{Name: strings.Repeat("n", 300), Value: strings.Repeat("v", 2000)})
		}
		if err := c.NotifyStaff(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		e := sim.Posts()[0].Body.Embeds[0]
		if len([]rune(e.Title)) != 256 || len([]rune(e.Description)) != 4096 {
			t.Errorf("title %d, description %d", len([]rune(e.Title)), len([]rune(e.Description)))
		}
	})
}

// FuzzFromAlert checks that any alert, cut by FromAlert, passes the
// simulator's copy of Discord's limits.
func FuzzFromAlert(f *testing.F) {
	f.Add("title", "description", "name", "value", 3)
	f.Add(strings.Repeat("é", 300), strings.Repeat("x", 5000), "", "v", 40)
	f.Fuzz(func(t *testing.T, title, desc, name, value string, n int) {
		a := &panel.StaffAlert{Title: title, Description: desc}
		for range n % 50 {
			a.Fields = append(a.Fields, panel.StaffField{Name: name, Value: value})
		}
		b, _ := json.Marshal(discord.Message{Embeds: []discord.Embed{discord.FromAlert(a)}})
		var body simdiscord.ExecuteBody
		if err := json.Unmarshal(b, &body); err != nil {
			t.Fatal(err)
		}
		if errs := simdiscord.Validate(&body); errs != nil {
			t.Fatalf("FromAlert made an embed Discord refuses: %v", errs)
		}
	})
}
