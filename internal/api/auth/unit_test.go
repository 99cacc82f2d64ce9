package auth

import (
	"strings"
	"testing"
)

func TestUserID(t *testing.T) {
	a, b := UserID("auth0|abc"), UserID("auth0|abd")
	if a != UserID("auth0|abc") || a == b || !strings.HasPrefix(a, "u_") || len(a) != 28 || strings.ToLower(a) != a {
		t.Fatalf("got %q and %q", a, b)
	}
}

func TestSafeReturnTo(t *testing.T) {
	tests := map[string]string{
		"":                     "/",
		"/servers?x=1":         "/servers?x=1",
		"//evil.example.com":   "/",
		"/\\evil.example.com":  "/",
		"https://evil.example": "/",
		"servers":              "/",
		"/a\r\nSet-Cookie: x":  "/",
	}
	for in, want := range tests {
		if got := safeReturnTo(in); got != want {
			t.Errorf("safeReturnTo(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestStateCookieSealing(t *testing.T) {
	h := &handlers{d: Deps{StateKey: "k1"}}
	v := h.seal(oauthState{State: "s", Nonce: "n", Verifier: "v", ReturnTo: "/", Expires: 1})
	st, err := h.open(v)
	if err != nil || st.State != "s" || st.Verifier != "v" {
		t.Fatalf("got %+v, %v", st, err)
	}
	other := &handlers{d: Deps{StateKey: "k2"}}
	if _, err := other.open(v); err == nil {
		t.Fatal("opened with another key")
	}
	if _, err := h.open(v[:len(v)-2] + "AA"); err == nil {
		t.Fatal("tampered cookie accepted")
	}
}
