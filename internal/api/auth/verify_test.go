package auth_test

import (
	"net/http"
	"testing"
)

// TestEmailVerification: a new signup signs in unverified; resend asks
// Auth0's Management API for a verification-email job (client-credentials
// token); after the link is opened, check marks the user and the session
// verified. Shapes: auth0.com/docs/manage-users/user-accounts/resend-
// verification-emails (201 job), auth0.com/docs/api/management/v2/jobs/
// post-verification-email.
func TestEmailVerification(t *testing.T) {
	e := newEnv(t, envOptions{})
	b := e.browser()
	if r := b.do("POST", "/api/auth/register", map[string]string{"email": "new@example.com", "password": pw, "name": "Nia"}); r.status != 202 {
		t.Fatalf("register: got %d %s", r.status, r.raw)
	}
	r := b.mustLogin("new@example.com", pw)
	if r.user()["emailVerified"] != false {
		t.Fatalf("login: %s", r.raw)
	}
	if r := b.mutate("POST", "/api/account/email-verification/check", nil); r.status != 200 || r.body["emailVerified"] != false {
		t.Fatalf("check before: got %d %s", r.status, r.raw)
	}
	if r := b.mutate("POST", "/api/account/email-verification", nil); r.status != 202 {
		t.Fatalf("resend: got %d %s", r.status, r.raw)
	}
	link := e.auth0.VerificationLink("new@example.com")
	if link == "" {
		t.Fatal("no verification link pending")
	}
	resp, err := http.Get(link)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("open link: %v %v", resp, err)
	}
	resp.Body.Close()
	if r := b.mutate("POST", "/api/account/email-verification/check", nil); r.status != 200 || r.body["emailVerified"] != true {
		t.Fatalf("check after: got %d %s", r.status, r.raw)
	}
	if r := b.do("GET", "/api/auth/me", nil); r.user()["emailVerified"] != true {
		t.Fatalf("me after check: %s", r.raw)
	}
	if r := b.mutate("POST", "/api/account/email-verification", nil); r.status != 409 {
		t.Fatalf("resend when verified: got %d %s", r.status, r.raw)
	}
	// A fresh sign-in reads email_verified from the ID token again.
	if r := e.browser().mustLogin("new@example.com", pw); r.user()["emailVerified"] != true {
		t.Fatalf("login after verifying: %s", r.raw)
	}
}

// TestResendLimited: at most 3 verification emails an hour.
func TestResendLimited(t *testing.T) {
	e := newEnv(t, envOptions{})
	b := e.browser()
	b.do("POST", "/api/auth/register", map[string]string{"email": "new@example.com", "password": pw, "name": "Nia"})
	b.mustLogin("new@example.com", pw)
	for i := range 4 {
		r := b.mutate("POST", "/api/account/email-verification", nil)
		if want := map[bool]int{true: 202, false: 429}[i < 3]; r.status != want {
			t.Fatalf("resend %d: got %d %s, want %d", i+1, r.status, r.raw, want)
		}
	}
}
