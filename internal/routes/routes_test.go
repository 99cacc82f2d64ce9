package routes

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestTableIsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	mux := http.NewServeMux()
	for _, r := range Table {
		if seen[r.Pattern()] {
			t.Errorf("%s: declared twice", r.Pattern())
		}
		seen[r.Pattern()] = true
		if !slices.Contains(Functions, r.Function) {
			t.Errorf("%s: unknown function %q", r.Pattern(), r.Function)
		}
		if !strings.HasPrefix(r.Path, "/api/") {
			t.Errorf("%s: path must start with /api/", r.Pattern())
		}
		// ServeMux panics on a malformed or conflicting pattern.
		func() {
			defer func() {
				if v := recover(); v != nil {
					t.Errorf("%s: %v", r.Pattern(), v)
				}
			}()
			mux.HandleFunc(r.Pattern(), func(http.ResponseWriter, *http.Request) {})
		}()
	}
	for _, f := range Functions {
		if f != "jobs" && len(ForFunction(f)) == 0 {
			t.Errorf("function %s serves no route", f)
		}
	}
}
