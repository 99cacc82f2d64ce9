package smoke

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestRunFails: a site that answers 200 text to everything, and an API that
// serves requests without the origin key, fail every check they should.
func TestRunFails(t *testing.T) {
	loose := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html>"))
	}))
	defer loose.Close()
	got := map[string]Result{}
	for _, r := range Run(context.Background(), Options{SiteURL: loose.URL, APIURL: loose.URL}) {
		got[r.Name] = r
	}
	for _, name := range []string{"health", "security headers", "catalog", "JSON 404", "origin-verify refusal"} {
		if r := got[name]; r.OK || r.Skipped {
			t.Errorf("%s: %+v, want failed", name, r)
		}
	}
	if r := got["sign-up"]; !r.Skipped {
		t.Errorf("sign-up: %+v, want skipped without an email", r)
	}
}

// TestOriginRefusal: an API answering 403 {"error":{"code":"forbidden"}}
// passes the origin check.
func TestOriginRefusal(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"error":{"code":"forbidden","message":"forbidden"}}`))
	}))
	defer api.Close()
	for _, r := range Run(context.Background(), Options{SiteURL: api.URL, APIURL: api.URL}) {
		if r.Name == "origin-verify refusal" && !r.OK {
			t.Errorf("origin check: %+v", r)
		}
	}
}
