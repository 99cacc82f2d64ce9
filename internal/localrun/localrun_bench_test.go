package localrun

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// realistic answers like a sign-in does: it decodes a JSON body, sets three
// cookies and writes a JSON body about as large as it read.
func realistic() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "vfp_session", Value: strings.Repeat("s", 43), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 86400})
		http.SetCookie(w, &http.Cookie{Name: "vfp_csrf", Value: strings.Repeat("c", 43), Path: "/", SameSite: http.SameSiteStrictMode})
		http.SetCookie(w, &http.Cookie{Name: "vfp_state", Value: "", Path: "/api/auth", MaxAge: -1})
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(in)
	})
}

// realisticBody is a ~2 KB JSON object (a server order with notes).
var realisticBody = func() []byte {
	items := make([]map[string]any, 0, 16)
	for i := range 16 {
		items = append(items, map[string]any{"packageId": 10 + i, "hostname": "web-" + strings.Repeat("x", 20), "osTemplateId": 42,
			"sshKeyIds": []int{1, 2, 3}, "note": "benchmark payload"})
	}
	b, _ := json.Marshal(map[string]any{"items": items})
	return b
}()

func realisticRequest() *http.Request {
	r := httptest.NewRequest("POST", "/api/auth/login", bytes.NewReader(realisticBody))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Cookie", "vfp_session=abc; vfp_csrf=def")
	r.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) bench")
	r.Header.Set("Accept", "application/json")
	return r
}

// BenchmarkDirectRealistic and BenchmarkRunnerRealistic are BenchmarkDirect
// and BenchmarkRunner with a 2 KB JSON body each way and three Set-Cookie
// headers in the answer.
func BenchmarkDirectRealistic(b *testing.B) {
	if n := len(realisticBody); n < 1900 || n > 2300 {
		b.Fatalf("body is %d bytes, want about 2 KB", n)
	}
	h := realistic()
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, realisticRequest())
		if len(w.Result().Cookies()) != 3 {
			b.Fatalf("got %d %s", w.Code, w.Body)
		}
	}
}

func BenchmarkRunnerRealistic(b *testing.B) {
	rn := newRunner(b, realistic(), "")
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		rn.ServeHTTP(w, realisticRequest())
		if len(w.Result().Cookies()) != 3 {
			b.Fatalf("got %d %s", w.Code, w.Body)
		}
	}
}
