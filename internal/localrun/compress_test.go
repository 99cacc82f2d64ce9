package localrun

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

func TestMaybeGzip(t *testing.T) {
	big := strings.Repeat("console.log('vfpanel');\n", 100)
	for name, tc := range map[string]struct {
		accept, rng, ctype, body string
		status                   int
		want                     bool
	}{
		"OK":          {"gzip, deflate, br", "", "text/javascript; charset=utf-8", big, 200, true},
		"JSON":        {"br;q=1, gzip;q=0.8", "", "application/json", big, 200, true},
		"NotAccepted": {"br", "", "text/javascript", big, 200, false},
		"Refused":     {"gzip;q=0", "", "text/javascript", big, 200, false},
		"Small":       {"gzip", "", "text/javascript", "x", 200, false},
		"Image":       {"gzip", "", "image/png", big, 200, false},
		"Range":       {"gzip", "bytes=0-10", "text/javascript", big, 200, false},
		"NotModified": {"gzip", "", "text/javascript", "", 304, false},
		"ErrorsToo":   {"gzip", "", "application/json", big, 404, true},
	} {
		t.Run(name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/assets/app.js", nil)
			r.Header.Set("Accept-Encoding", tc.accept)
			if tc.rng != "" {
				r.Header.Set("Range", tc.rng)
			}
			rec := httptest.NewRecorder()
			w, done := maybeGzip(rec, r)
			w.Header().Set("Content-Type", tc.ctype)
			if tc.body != "" {
				w.Header().Set("Content-Length", strconvI(len(tc.body)))
			}
			w.WriteHeader(tc.status)
			_, _ = io.WriteString(w, tc.body)
			done()
			got := rec.Header().Get("Content-Encoding") == "gzip"
			if got != tc.want {
				t.Fatalf("compressed %v, want %v (headers %v)", got, tc.want, rec.Header())
			}
			body := rec.Body.String()
			if got {
				if rec.Header().Get("Content-Length") != "" {
					t.Error("kept the uncompressed Content-Length")
				}
				zr, err := gzip.NewReader(rec.Body)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(zr)
				body = string(b)
			}
			if body != tc.body {
				t.Errorf("body %q…, want %q…", body[:min(20, len(body))], tc.body[:min(20, len(tc.body))])
			}
		})
	}
}

func strconvI(n int) string { return strconv.Itoa(n) }
