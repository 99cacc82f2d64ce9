package betterstack_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vfpanel/vfpanel/internal/betterstack"
	betterstacksim "github.com/vfpanel/vfpanel/internal/sim/betterstack"
)

func TestHeartbeat(t *testing.T) {
	sim := betterstacksim.New()
	base := sim.Start()
	defer sim.Close()
	h := betterstack.Heartbeat{URL: sim.AddHeartbeat("billing-tok")}
	ctx := context.Background()
	if err := h.Beat(ctx); err != nil {
		t.Fatal(err)
	}
	if err := h.Fail(ctx, "hourly-billing: 3 charges failed"); err != nil {
		t.Fatal(err)
	}
	beats := sim.Beats("billing-tok")
	if len(beats) != 2 || beats[0].Failed || !beats[1].Failed || beats[1].Output != "hourly-billing: 3 charges failed" {
		t.Fatalf("got %+v", beats)
	}
	t.Run("ErrUnknownToken", func(t *testing.T) {
		err := betterstack.Heartbeat{URL: base + "/api/v1/heartbeat/wrong"}.Beat(ctx)
		if err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("got %v, want a 404 error", err)
		}
	})
	t.Run("ErrDownHidesToken", func(t *testing.T) {
		err := betterstack.Heartbeat{URL: "http://127.0.0.1:1/api/v1/heartbeat/secret-token"}.Beat(ctx)
		if err == nil || strings.Contains(err.Error(), "secret-token") {
			t.Errorf("got %v, want an error without the token", err)
		}
	})
	t.Run("Unconfigured", func(t *testing.T) {
		if err := (betterstack.Heartbeat{}).Beat(ctx); err != nil {
			t.Errorf("got %v, want a no-op", err)
		}
	})
}
