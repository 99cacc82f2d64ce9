package discord

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestExecute(t *testing.T) {
	sim := New()
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	hook := srv.URL + sim.NewWebhook()
	many := `{"embeds":[` + strings.TrimSuffix(strings.Repeat(`{"title":"x"},`, 11), ",") + `]}`
	tests := []struct {
		name, url, ctype, body string
		want                   int
		wantIn                 string
	}{
		{"OKWait", hook + "?wait=true", "application/json", `{"embeds":[{"title":"hi","color":255}]}`, 200, `"type":"rich"`},
		{"OKNoWait", hook, "application/json", `{"content":"hi"}`, 204, ""},
		{"ErrUnknownWebhook", srv.URL + "/api/webhooks/1/nope", "application/json", `{"content":"hi"}`, 404, `10015`},
		{"ErrEmpty", hook, "application/json", `{}`, 400, `50006`},
		{"ErrUnknownField", hook, "application/json", `{"content":"hi","bogus":1}`, 400, `50109`},
		{"ErrNotJSON", hook, "text/plain", `content=hi`, 400, `50006`},
		{"ErrTooManyEmbeds", hook, "application/json", many, 400, `50035`},
		{"ErrTitleTooLong", hook, "application/json", `{"embeds":[{"title":"` + strings.Repeat("x", 257) + `"}]}`, 400, `embeds.0.title`},
		{"ErrFieldValueMissing", hook, "application/json", `{"embeds":[{"fields":[{"name":"a","value":""}]}]}`, 400, `embeds.0.fields.0.value`},
		{"ErrColor", hook, "application/json", `{"embeds":[{"title":"a","color":16777216}]}`, 400, `embeds.0.color`},
		{"ErrTimestamp", hook, "application/json", `{"embeds":[{"title":"a","timestamp":"yesterday"}]}`, 400, `embeds.0.timestamp`},
		{"ErrTotal", hook, "application/json", `{"embeds":[{"description":"` + strings.Repeat("x", 4000) + `"},{"description":"` + strings.Repeat("x", 2001) + `"}]}`, 400, `MAX_EMBED_SIZE_EXCEEDED`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(sim.Posts())
			resp, err := http.Post(tt.url, tt.ctype, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var b bytes.Buffer
			_, _ = b.ReadFrom(resp.Body)
			if resp.StatusCode != tt.want || !strings.Contains(b.String(), tt.wantIn) {
				t.Fatalf("got %d %s, want %d with %s", resp.StatusCode, b.String(), tt.want, tt.wantIn)
			}
			if recorded := len(sim.Posts()) - before; (tt.want < 300) != (recorded == 1) {
				t.Errorf("recorded %d posts", recorded)
			}
		})
	}
	t.Run("RateLimited", func(t *testing.T) {
		sim.RateLimitNext(1, 2.25)
		resp, _ := http.Post(hook, "application/json", strings.NewReader(`{"content":"hi"}`))
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "3" || !strings.Contains(b.String(), `"retry_after":2.25`) {
			t.Fatalf("got %d %v %s", resp.StatusCode, resp.Header, b.String())
		}
		resp, _ = http.Post(hook, "application/json", strings.NewReader(`{"content":"hi"}`))
		resp.Body.Close()
		if resp.StatusCode != 204 {
			t.Fatalf("after the limit: got %d, want 204", resp.StatusCode)
		}
	})
}

// FuzzExecute feeds arbitrary bodies to the simulator: it must answer
// 204 or a 4xx, never panic, and record only what passes Validate.
func FuzzExecute(f *testing.F) {
	f.Add(`{"content":"hi"}`)
	f.Add(`{"embeds":[{"title":"a","fields":[{"name":"n","value":"v"}]}]}`)
	f.Add(`{"embeds":[{"color":-1}]}`)
	sim := New()
	h := sim.Handler()
	path := sim.NewWebhook()
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 204 && rec.Code != 400 {
			t.Fatalf("got %d", rec.Code)
		}
		for _, p := range sim.Posts() {
			if Validate(&p.Body) != nil {
				t.Fatalf("recorded an invalid post %+v", p.Body)
			}
		}
	})
}
