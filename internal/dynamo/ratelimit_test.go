package dynamo_test

import (
	"context"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/panel"
)

func TestRateLimiter(t *testing.T) {
	st, clk := newAcctStore(t)
	rl := dynamo.NewRateLimiter(st)
	ctx := context.Background()
	window := 15 * time.Minute
	clk.t = clk.t.Truncate(window).Add(5 * time.Minute)

	for i := range 3 {
		if err := rl.Allow(ctx, "login:a", 3, window); err != nil {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	err := rl.Allow(ctx, "login:a", 3, window)
	var pe *panel.Error
	if panel.ErrorCode(err) != panel.ERATELIMITED {
		t.Fatalf("4th attempt: got %v, want rate_limited", err)
	}
	pe = err.(*panel.Error)
	if pe.RetryAfter != 600 {
		t.Fatalf("retryAfter: got %d, want 600", pe.RetryAfter)
	}
	if err := rl.Allow(ctx, "login:b", 3, window); err != nil {
		t.Fatalf("other key: %v", err)
	}
	clk.t = clk.t.Add(10 * time.Minute) // next window
	if err := rl.Allow(ctx, "login:a", 3, window); err != nil {
		t.Fatalf("next window: %v", err)
	}
}

func TestRateLimiterUndo(t *testing.T) {
	st, clk := newAcctStore(t)
	rl := dynamo.NewRateLimiter(st)
	ctx := context.Background()
	window := 15 * time.Minute
	clk.t = clk.t.Truncate(window).Add(time.Minute)

	t.Run("UndoneAttemptsDoNotCount", func(t *testing.T) {
		for i := range 10 {
			if err := rl.Allow(ctx, "fail:a", 3, window); err != nil {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
			if err := rl.Undo(ctx, "fail:a", window); err != nil {
				t.Fatal(err)
			}
		}
	})
	t.Run("NeverBelowZero", func(t *testing.T) {
		for range 5 {
			if err := rl.Undo(ctx, "fail:b", window); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 3 {
			if err := rl.Allow(ctx, "fail:b", 3, window); err != nil {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
		}
		if err := rl.Allow(ctx, "fail:b", 3, window); panel.ErrorCode(err) != panel.ERATELIMITED {
			t.Fatalf("4th attempt: got %v, want rate_limited", err)
		}
	})
}
