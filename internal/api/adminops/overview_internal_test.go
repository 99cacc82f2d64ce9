package adminops

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestOverviewCache: the figures are counted once per OverviewTTL; a
// failed count is not cached.
func TestOverviewCache(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	calls, fail := 0, false
	count := func(context.Context, time.Time) (*panel.AdminOverview, error) {
		calls++
		if fail {
			return nil, errors.New("down")
		}
		return &panel.AdminOverview{Users: calls}, nil
	}
	c := &overviewCache{}
	for _, step := range []struct {
		at        time.Duration
		fail      bool
		wantUsers int
		wantCalls int
		wantErr   bool
	}{
		{0, false, 1, 1, false},
		{59 * time.Second, false, 1, 1, false},
		{60 * time.Second, true, 0, 2, true},
		{61 * time.Second, false, 3, 3, false},
		{90 * time.Second, false, 3, 3, false},
	} {
		fail = step.fail
		o, err := c.get(context.Background(), t0.Add(step.at), count)
		if (err != nil) != step.wantErr || calls != step.wantCalls || (err == nil && o.Users != step.wantUsers) {
			t.Fatalf("at %v: %+v, %v after %d counts; want users %d after %d", step.at, o, err, calls, step.wantUsers, step.wantCalls)
		}
	}
}
