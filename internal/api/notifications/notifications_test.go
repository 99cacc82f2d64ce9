package notifications_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/api/notifications"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/notify"
	"github.com/vfpanel/vfpanel/internal/panel"
)

var key = []byte("test-session-key-test-session-key")

type server struct {
	mux    *http.ServeMux
	outbox *dynamo.Outbox
}

// newServer serves the handlers as Mount would, with the caller given by
// the X-Test-User header (the auth middleware's job in the real mount).
func newServer(t *testing.T) *server {
	t.Helper()
	db, table := dynamotest.NewTable(t)
	o := dynamo.NewOutbox(dynamo.NewStore(db, table))
	mux := http.NewServeMux()
	for pattern, h := range notifications.Handlers(notifications.Deps{Outbox: o, UnsubscribeKey: key, CompanyName: "Acme"}) {
		mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if u := r.Header.Get("X-Test-User"); u != "" {
				r = r.WithContext(panel.WithPrincipal(r.Context(), &panel.Principal{UserID: u, Role: r.Header.Get("X-Test-Role")}))
			}
			h.ServeHTTP(w, r)
		}))
	}
	return &server{mux: mux, outbox: o}
}

func (s *server) do(method, target, user, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if user != "" {
		r.Header.Set("X-Test-User", user)
	}
	w := httptest.NewRecorder()
	httpx.Wrap(s.mux).ServeHTTP(w, r)
	return w
}

func TestPreferences(t *testing.T) {
	s := newServer(t)
	tests := []struct {
		name, method, body string
		want               int
		wantIn             string
	}{
		{"DefaultOn", "GET", "", 200, `"nonEssentialOff":false`},
		{"TurnOff", "PUT", `{"nonEssentialOff":true}`, 200, `"nonEssentialOff":true`},
		{"ReadBack", "GET", "", 200, `"nonEssentialOff":true`},
		{"ErrMissingField", "PUT", `{}`, 400, `"nonEssentialOff"`},
		{"ErrUnknownField", "PUT", `{"nonEssentialOff":true,"x":1}`, 400, `"invalid"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := s.do(tt.method, "/api/account/notifications", "u_ann", tt.body)
			if w.Code != tt.want || !strings.Contains(w.Body.String(), tt.wantIn) {
				t.Fatalf("got %d %s, want %d with %s", w.Code, w.Body, tt.want, tt.wantIn)
			}
		})
	}
	t.Run("ErrSignedOut", func(t *testing.T) {
		if w := s.do("GET", "/api/account/notifications", "", ""); w.Code != 401 {
			t.Fatalf("got %d", w.Code)
		}
	})
}

func TestHistoryIsTheCallersOwn(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for i, u := range []string{"u_ann", "u_ann", "u_bob"} {
		n := panel.Notification{ID: panel.NotificationID(panel.NotifyWelcome, u+string(rune('a'+i))), Kind: panel.NotifyWelcome,
			UserID: u, Email: u + "@example.com", CreatedAt: at.Add(time.Duration(i) * time.Minute)}
		if err := s.outbox.Enqueue(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	w := s.do("GET", "/api/account/mail?limit=1", "u_ann", "")
	var page notifications.MailPage
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || w.Code != 200 {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	if len(page.Items) != 1 || page.Items[0].ID != "welcome:u_annb" || page.Items[0].State != "queued" || page.NextCursor == "" {
		t.Fatalf("first page %+v", page)
	}
	w = s.do("GET", "/api/account/mail?limit=1&cursor="+page.NextCursor, "u_ann", "")
	_ = json.Unmarshal(w.Body.Bytes(), &page)
	if len(page.Items) != 1 || page.Items[0].ID != "welcome:u_anna" {
		t.Fatalf("second page %+v", page)
	}
	if w := s.do("GET", "/api/account/mail?limit=1000", "u_ann", ""); w.Code != 400 {
		t.Fatalf("limit 1000: got %d", w.Code)
	}
}

func TestUnsubscribe(t *testing.T) {
	s := newServer(t)
	link, _ := url.Parse(notify.UnsubscribeURL("https://panel.acme.example", key, "u_ann"))
	target := link.RequestURI()
	t.Run("GetOnlyShowsAPage", func(t *testing.T) {
		w := s.do("GET", target, "", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), `<form method="post">`) {
			t.Fatalf("got %d %s", w.Code, w.Body)
		}
		if !strings.Contains(w.Body.String(), `href="/account/notifications"`) {
			t.Fatalf("no link to the email settings: %s", w.Body)
		}
		if p, _ := s.outbox.Prefs(context.Background(), "u_ann"); p.NonEssentialOff {
			t.Fatal("GET unsubscribed")
		}
	})
	t.Run("ErrBadSignature", func(t *testing.T) {
		bad := strings.Replace(target, "u=u_ann", "u=u_bob", 1)
		for _, m := range []string{"GET", "POST"} {
			if w := s.do(m, bad, "", ""); w.Code != 403 {
				t.Fatalf("%s: got %d", m, w.Code)
			}
		}
		if p, _ := s.outbox.Prefs(context.Background(), "u_bob"); p.NonEssentialOff {
			t.Fatal("forged link unsubscribed")
		}
	})
	t.Run("OneClickPost", func(t *testing.T) {
		// RFC 8058: the mail client POSTs this body to the List-Unsubscribe URL.
		w := s.do("POST", target, "", "List-Unsubscribe=One-Click")
		if w.Code != 200 || !strings.Contains(w.Body.String(), "You are unsubscribed") || strings.Contains(w.Body.String(), "<form") {
			t.Fatalf("got %d %s", w.Code, w.Body)
		}
		if p, _ := s.outbox.Prefs(context.Background(), "u_ann"); !p.NonEssentialOff {
			t.Fatal("not unsubscribed")
		}
	})
}

func TestAdminFailedAndRetry(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	n := panel.Notification{ID: "welcome:u_f", Kind: panel.NotifyWelcome, UserID: "u_f", Email: "f@example.com", CreatedAt: time.Now().Add(-time.Hour)}
	if err := s.outbox.Enqueue(ctx, n); err != nil {
		t.Fatal(err)
	}
	if _, err := s.outbox.Claim(ctx, n.ID, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.outbox.MarkAttemptFailed(ctx, n.ID, "550 mailbox unavailable", time.Time{}, true); err != nil {
		t.Fatal(err)
	}
	w := s.do("GET", "/api/admin/notifications/failed", "admin", "")
	var page notifications.FailedPage
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || len(page.Items) != 1 || page.Items[0].LastError != "550 mailbox unavailable" {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	if w := s.do("POST", "/api/admin/notifications/"+url.PathEscape(n.ID)+"/retry", "admin", ""); w.Code != 204 {
		t.Fatalf("retry: got %d %s", w.Code, w.Body)
	}
	if w := s.do("POST", "/api/admin/notifications/"+url.PathEscape(n.ID)+"/retry", "admin", ""); w.Code != 409 {
		t.Fatalf("second retry: got %d %s", w.Code, w.Body)
	}
	if d, _ := s.outbox.Delivery(ctx, n.ID); d.State != panel.DeliveryQueued {
		t.Fatalf("state %q", d.State)
	}
}
