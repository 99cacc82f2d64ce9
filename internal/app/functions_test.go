package app

import (
	"slices"
	"testing"

	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/routes"
)

// TestFunctionsCoverEveryFunction: each function of the route table,
// schedules and streams has exactly one builder, of the right kind.
func TestFunctionsCoverEveryFunction(t *testing.T) {
	want := map[string]string{}
	for _, r := range routes.Table {
		want[r.Function] = "http"
	}
	for _, s := range routes.Schedules {
		want[s.Function] = "job"
	}
	for _, s := range routes.Streams {
		want[s.Function] = "stream"
	}
	for _, q := range routes.Queues {
		want[q.Function] = "queue"
	}
	for name, kind := range want {
		f, ok := Functions[name]
		if !ok {
			t.Errorf("function %s: not in Functions", name)
			continue
		}
		got := map[string]bool{"http": f.HTTP != nil, "job": f.Job != nil, "stream": f.Stream != nil, "queue": f.Queue != nil}
		n := 0
		for _, set := range got {
			if set {
				n++
			}
		}
		if n != 1 || !got[kind] {
			t.Errorf("function %s: got %v, want only %s", name, got, kind)
		}
	}
	for name := range Functions {
		if _, ok := want[name]; !ok {
			t.Errorf("function %s: in Functions but nothing routes to it", name)
		}
	}
}

func TestConfigNeeds(t *testing.T) {
	tests := map[string][]string{
		"health":   {config.NeedTable},
		"catalog":  {config.NeedTable, config.NeedVirtFusion},
		"auth":     {config.NeedTable, config.NeedAuth0, config.NeedVirtFusion, config.NeedAuth0Token},
		"servers":  {config.NeedTable, config.NeedVirtFusion, config.NeedAuth0Token},
		"billing":  {config.NeedTable, config.NeedPayPal, config.NeedVirtFusion, config.NeedAuth0Token},
		"webhooks": {config.NeedTable, config.NeedPayPal, config.NeedVirtFusion},
		"admin":    {config.NeedTable, config.NeedPayPal, config.NeedVirtFusion, config.NeedAuth0Token},
		"jobs":     {config.NeedTable, config.NeedMail, config.NeedVirtFusion},
		"notify":   {config.NeedTable, config.NeedMail},
	}
	for fn, want := range tests {
		t.Run(fn, func(t *testing.T) {
			if got := ConfigNeeds(fn); !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}
