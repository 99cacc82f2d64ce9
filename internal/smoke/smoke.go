// Package smoke checks a running vfpanel from outside, over HTTP only: what
// an operator runs right after a deploy (make smoke URL=…), and what the
// tests run against the local stack.
package smoke

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/vfpanel/vfpanel/internal/routes"
)

// Options say what to check.
type Options struct {
	SiteURL string // the site (CloudFront or the local runner), e.g. https://panel.example.com
	// APIURL is the API's own endpoint (the stack's ApiUrl output); when set,
	// a request there without the origin key must be refused.
	APIURL string
	// SignupEmail, when set, registers that address (use an address the
	// Auth0 tenant may create, e.g. a plus-address you own).
	SignupEmail, SignupPassword string
	Client                      *http.Client // nil: a 15 s timeout client
}

// Result is one check.
type Result struct {
	Name    string
	OK      bool
	Skipped bool // not asked for (no APIURL / SignupEmail); said so, never silently
	Detail  string
}

// Run runs every check and returns their results in order.
func Run(ctx context.Context, o Options) []Result {
	c := o.Client
	if c == nil {
		c = &http.Client{Timeout: 15 * time.Second}
	}
	site := strings.TrimSuffix(o.SiteURL, "/")
	var out []Result
	add := func(name string, err error) {
		r := Result{Name: name, OK: err == nil}
		if err != nil {
			r.Detail = err.Error()
		}
		out = append(out, r)
	}
	skip := func(name, why string) { out = append(out, Result{Name: name, Skipped: true, Detail: why}) }

	res, body, err := do(ctx, c, "GET", site+"/api/health", "", nil)
	add("health", want(res, body, err, http.StatusOK, func(m map[string]any) error {
		if m["status"] != "ok" {
			return fmt.Errorf("status %v, want ok", m["status"])
		}
		return nil
	}))
	add("security headers", securityHeaders(res, err))

	res, body, err = do(ctx, c, "GET", site+"/api/catalog/packages", "", nil)
	add("catalog", want(res, body, err, http.StatusOK, func(m map[string]any) error {
		if _, ok := m["packages"].([]any); !ok {
			return fmt.Errorf("no packages list in %v", m)
		}
		return nil
	}))

	res, body, err = do(ctx, c, "GET", site+"/api/smoke-no-such-route", "", nil)
	add("JSON 404", want(res, body, err, http.StatusNotFound, errorCode("not_found")))

	if o.APIURL == "" {
		skip("origin-verify refusal", "no API URL given (the stack's ApiUrl output)")
	} else {
		res, body, err = do(ctx, c, "GET", strings.TrimSuffix(o.APIURL, "/")+"/api/health", "", nil)
		add("origin-verify refusal", want(res, body, err, http.StatusForbidden, errorCode("forbidden")))
	}

	if o.SignupEmail == "" {
		skip("sign-up", "no sign-up email given")
	} else {
		reg, _ := json.Marshal(map[string]string{"email": o.SignupEmail, "password": o.SignupPassword, "name": "Smoke Test"})
		res, body, err = do(ctx, c, "POST", site+"/api/auth/register", string(reg), map[string]string{"Content-Type": "application/json"})
		if err == nil && res.StatusCode/100 != 2 {
			err = fmt.Errorf("status %d: %s", res.StatusCode, body)
		}
		add("sign-up", err)
	}
	return out
}

func do(ctx context.Context, c *http.Client, method, url, body string, hdr map[string]string) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	return res, b, err
}

// want checks the status, that the body is a JSON object, and then more.
func want(res *http.Response, body []byte, err error, status int, more func(map[string]any) error) error {
	if err != nil {
		return err
	}
	if res.StatusCode != status {
		return fmt.Errorf("status %d, want %d: %.200s", res.StatusCode, status, body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("content type %q, want JSON", ct)
	}
	var m map[string]any
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&m); err != nil {
		return fmt.Errorf("body is not a JSON object: %w", err)
	}
	return more(m)
}

func errorCode(code string) func(map[string]any) error {
	return func(m map[string]any) error {
		e, _ := m["error"].(map[string]any)
		if e == nil || e["code"] != code {
			return fmt.Errorf("error %v, want code %q", m["error"], code)
		}
		return nil
	}
}

// securityHeaders checks the headers CloudFront adds (the local runner adds
// the same ones), with the values internal/routes sets.
func securityHeaders(res *http.Response, err error) error {
	if err != nil {
		return err
	}
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        routes.FrameOptions,
		"Referrer-Policy":        routes.ReferrerPolicy,
	}
	var bad []string
	for h, v := range want {
		if got := res.Header.Get(h); !strings.EqualFold(got, v) {
			bad = append(bad, fmt.Sprintf("%s=%q want %q", h, got, v))
		}
	}
	for _, h := range []string{"Strict-Transport-Security", "Content-Security-Policy"} {
		if res.Header.Get(h) == "" {
			bad = append(bad, h+" missing")
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s", strings.Join(bad, "; "))
	}
	return nil
}
