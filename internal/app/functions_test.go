package app

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
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
		f, ok := Functions()[name]
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
	for name := range Functions() {
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
		"admin":    {config.NeedTable, config.NeedAuth0, config.NeedPayPal, config.NeedVirtFusion, config.NeedAuth0Token},
		"jobs":     {config.NeedTable, config.NeedPayPal, config.NeedMail, config.NeedVirtFusion},
		"notify":   {config.NeedTable, config.NeedMail},
		"support":  {config.NeedTable, config.NeedVirtFusion, config.NeedAuth0Token},
	}
	for fn, want := range tests {
		t.Run(fn, func(t *testing.T) {
			if got := ConfigNeeds(fn); !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

// TestMainsRunTheirFunction: each functions/<name>/main.go runs the builder
// Functions() gives name, of the same kind (the mains name their builder
// themselves so each binary links only its own code).
func TestMainsRunTheirFunction(t *testing.T) {
	mains, err := filepath.Glob("../../functions/*/main.go")
	if err != nil || len(mains) == 0 {
		t.Fatalf("no mains found: %v", err)
	}
	call := regexp.MustCompile(`app\.Run\("([a-z]+)", app\.Function\{(HTTP|Job|Stream|Queue): app\.([A-Za-z]+)\}\)`)
	seen := map[string]bool{}
	for _, path := range mains {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		m := call.FindStringSubmatch(string(src))
		dir := filepath.Base(filepath.Dir(path))
		if m == nil || m[1] != dir {
			t.Errorf("%s: want app.Run(%q, app.Function{<Kind>: app.<Builder>})", path, dir)
			continue
		}
		seen[dir] = true
		f, ok := Functions()[dir]
		if !ok {
			t.Errorf("%s: %s is not in Functions()", path, dir)
			continue
		}
		builder := map[string]any{"HTTP": f.HTTP, "Job": f.Job, "Stream": f.Stream, "Queue": f.Queue}[m[2]]
		v := reflect.ValueOf(builder)
		if !v.IsValid() || v.IsNil() {
			t.Errorf("%s: runs a %s function, Functions() has %s as another kind", path, m[2], dir)
			continue
		}
		if got := runtime.FuncForPC(v.Pointer()).Name(); !strings.HasSuffix(got, "."+m[3]) {
			t.Errorf("%s: runs app.%s, Functions() has %s", path, m[3], got)
		}
	}
	for name := range Functions() {
		if !seen[name] {
			t.Errorf("function %s has no main", name)
		}
	}
}
