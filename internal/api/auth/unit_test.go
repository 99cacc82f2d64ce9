package auth

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	tests := []struct{ in, want string }{
		{"", "/"},
		{"/servers?x=1", "/servers?x=1"},
		{"/servers/", "/servers/"},
		{"/billing#top", "/billing#top"},
		{"/a/../servers", "/servers"},
		{"//evil.example.com", "/"},
		{"/\\evil.example.com", "/"},
		{"https://evil.example", "/"},
		{"servers", "/"},
		{"/a\r\nSet-Cookie: x", "/"},
		// Issue 12 item 8: cleaned by the redirect into "/\evil.com".
		{"/./\\evil.com", "/"},
		{"/.//evil.com", "/evil.com"},
		{"/..//evil.com", "/evil.com"},
		{"/\t/evil.com", "/"},
		{"/%5Cevil.com", "/%5Cevil.com"}, // stays a path: browsers do not decode %5C
		{"/x?next=\\evil", "/"},
	}
	for _, tt := range tests {
		if got := safeReturnTo(tt.in); got != tt.want {
			t.Errorf("safeReturnTo(%q): got %q, want %q", tt.in, got, tt.want)
		}
		if loc := redirectLocation(t, safeReturnTo(tt.in)); !sameOrigin(loc) {
			t.Errorf("safeReturnTo(%q): redirect to %q leaves the site", tt.in, loc)
		}
	}
}

const testPublicURL = "https://panel.example.com"

// redirectLocation is the Location the callback sends for returnTo.
func redirectLocation(t testing.TB, returnTo string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	http.Redirect(rec, httptest.NewRequest("GET", testPublicURL+"/api/auth/callback?code=x", nil), returnTo, http.StatusFound)
	return rec.Header().Get("Location")
}

// sameOrigin resolves loc against PUBLIC_URL as a browser does (WHATWG URL:
// tabs and newlines dropped, a backslash read as a slash in http(s) URLs)
// and reports whether it stays on PUBLIC_URL's origin.
func sameOrigin(loc string) bool {
	loc = strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(strings.TrimSpace(loc))
	base, _ := url.Parse(testPublicURL)
	ref, err := url.Parse(loc)
	if err != nil {
		return false // a browser would not follow it anywhere useful either; but flag it
	}
	got := base.ResolveReference(ref)
	return got.Scheme == base.Scheme && got.Host == base.Host && got.User == nil
}

// FuzzSafeReturnTo: whatever returnTo holds, the redirect the callback
// sends stays on our origin, and cleaning is stable.
func FuzzSafeReturnTo(f *testing.F) {
	for _, s := range []string{"", "/", "/servers?x=1", "//evil.com", "/\\evil.com", "/./\\evil.com", "/.//evil.com",
		"/%2F%2Fevil.com", "/\t/evil.com", "https://evil.com", "/a/../../b", "/x#//evil.com?y", "/@evil.com", "/;//evil.com",
		"/..;/evil.com", "/\u3002evil.com", "/%00", "///", "/a?b#c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := safeReturnTo(in)
		if !strings.HasPrefix(out, "/") {
			t.Fatalf("safeReturnTo(%q) = %q, not a path", in, out)
		}
		if again := safeReturnTo(out); again != out {
			t.Fatalf("not stable: %q -> %q -> %q", in, out, again)
		}
		if loc := redirectLocation(t, out); !sameOrigin(loc) {
			t.Fatalf("safeReturnTo(%q) = %q redirects to %q, off the site", in, out, loc)
		}
	})
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

// FuzzKnownDevice: a device cookie vouches for an email only when this
// server issued it for that email; anything else is no device.
func FuzzKnownDevice(f *testing.F) {
	d := &Deps{StateKey: "k1"}
	// Built as setDeviceCookie does, with a fixed device id: fuzz workers
	// are separate processes, so a random one would differ between them.
	const issuedDevice = "dev-fixed-1"
	issued := issuedDevice + "." + base64.RawURLEncoding.EncodeToString(d.deviceMAC(issuedDevice, "ann@example.com"))
	f.Add(issued, "ann@example.com")
	f.Add(issued, "bob@example.com")
	f.Add("x.y", "ann@example.com")
	f.Add(".", "")
	f.Add(strings.Repeat("a", 200)+"."+strings.Repeat("b", 43), "ann@example.com")
	f.Fuzz(func(t *testing.T, cookie, email string) {
		r := httptest.NewRequest("POST", "/api/auth/login", nil)
		r.AddCookie(&http.Cookie{Name: deviceCookieName(false), Value: cookie})
		got := d.knownDevice(r, email)
		if got != "" && (got != issuedDevice || !strings.EqualFold(email, "ann@example.com")) {
			t.Fatalf("knownDevice(%q, %q) = %q: forged", cookie, email, got)
		}
		if c, err := r.Cookie(deviceCookieName(false)); err == nil && c.Value == issued && email == "ann@example.com" && got != issuedDevice {
			t.Fatalf("the issued cookie was not recognised")
		}
	})
}

// FuzzOpenState: only a state cookie this server sealed opens.
func FuzzOpenState(f *testing.F) {
	h := &handlers{d: Deps{StateKey: "k1"}}
	orig := oauthState{State: "s", Nonce: "n", Verifier: "v", ReturnTo: "/", Expires: 1}
	sealed := h.seal(orig)
	f.Add(sealed)
	f.Add(sealed[:len(sealed)-1])
	f.Add("")
	f.Add("!!!")
	f.Fuzz(func(t *testing.T, v string) {
		// Only this key seals, and only orig was sealed: whatever opens
		// must be orig (seeds may come from another process's seal).
		st, err := h.open(v)
		if err == nil && *st != orig {
			t.Fatalf("opened a cookie it did not seal: %q -> %+v", v, st)
		}
	})
}
