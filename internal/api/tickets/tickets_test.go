package tickets_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/api/tickets"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/gemini"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/routes"
	geminisim "github.com/vfpanel/vfpanel/internal/sim/gemini"
)

// fakeBilling is billing's read side for two customers.
type fakeBilling struct{}

func (fakeBilling) Balance(_ context.Context, uid string) (*panel.Balance, error) {
	return &panel.Balance{UserID: uid, BalanceMinor: 4250, Currency: "USD"}, nil
}

func (fakeBilling) UserServers(_ context.Context, uid string) ([]*panel.BilledServer, error) {
	if uid == "u_ann" {
		return []*panel.BilledServer{{ServerID: 42, UserID: uid, Name: "web-1", Status: panel.BilledActive}}, nil
	}
	return []*panel.BilledServer{{ServerID: 77, UserID: uid, Name: "bob-1", Status: panel.BilledActive}}, nil
}

func (fakeBilling) Entries(_ context.Context, uid string, f panel.EntryFilter) ([]*panel.LedgerEntry, string, error) {
	return []*panel.LedgerEntry{{ID: "le_1", Type: panel.EntryTopup, AmountMinor: 2500, Currency: "USD"}}, "", nil
}

type fakeUsers map[string]*panel.User

func (u fakeUsers) User(_ context.Context, id string) (*panel.User, error) {
	if x, ok := u[id]; ok {
		return x, nil
	}
	return nil, panel.NotFound("user")
}

var users = fakeUsers{
	"u_ann":   {ID: "u_ann", Email: "ann@example.com", Name: "Ann", Role: panel.RoleCustomer},
	"u_bob":   {ID: "u_bob", Email: "bob@example.com", Name: "Bob", Role: panel.RoleCustomer},
	"u_staff": {ID: "u_staff", Email: "sam@example.com", Name: "Sam", Role: panel.RoleAdmin},
	"u_kim":   {ID: "u_kim", Email: "kim@example.com", Name: "Kim", Role: panel.RoleAdmin},
}

type server struct {
	mux    *http.ServeMux
	store  dynamo.Store
	gemini *geminisim.Sim
}

func newServer(t *testing.T, withDrafter bool) *server {
	t.Helper()
	db, table := dynamotest.NewTable(t)
	st := dynamo.NewStore(db, table)
	d := tickets.Deps{Tickets: dynamo.NewTickets(st), Limiter: dynamo.NewRateLimiter(st), Audit: dynamo.NewAuditLog(st),
		Users: users, Billing: fakeBilling{}, Currency: "USD"}
	s := &server{mux: http.NewServeMux(), store: st}
	if withDrafter {
		s.gemini = geminisim.New("k")
		srv := httptest.NewServer(s.gemini.Handler())
		t.Cleanup(srv.Close)
		d.Drafter = gemini.New(gemini.Config{BaseURL: srv.URL, APIKey: "k", Model: "gemini-2.5-flash", Timeout: 2 * time.Second})
	}
	hs := tickets.Handlers(d)
	if err := httpx.Check("support", hs); err != nil {
		t.Fatal(err)
	}
	for pattern, h := range hs {
		s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if u, ok := users[r.Header.Get("X-Test-User")]; ok {
				r = r.WithContext(panel.WithPrincipal(r.Context(), &panel.Principal{UserID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role}))
			}
			h.ServeHTTP(w, r)
		}))
	}
	return s
}

func (s *server) do(t *testing.T, method, target, user, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if user != "" {
		r.Header.Set("X-Test-User", user)
	}
	w := httptest.NewRecorder()
	httpx.Wrap(s.mux).ServeHTTP(w, r)
	return w
}

func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %s: %v", w.Body, err)
	}
	return v
}

// open opens a ticket as user and returns its id.
func (s *server) open(t *testing.T, user, body string) string {
	t.Helper()
	w := s.do(t, "POST", "/api/tickets", user, body)
	if w.Code != http.StatusCreated {
		t.Fatalf("open: got %d %s", w.Code, w.Body)
	}
	return decode[tickets.Thread](t, w).Ticket.ID
}

const newTicket = `{"subject":"Disk full","category":"technical","priority":"high","serverId":42,"body":"web-1 is **full**"}`

func (s *server) queued(t *testing.T, id string) *panel.Delivery {
	t.Helper()
	d, err := dynamo.NewOutbox(s.store).Delivery(context.Background(), id)
	if err != nil {
		t.Fatalf("notification %s: %v", id, err)
	}
	return d
}

func TestCustomerRoutes(t *testing.T) {
	s := newServer(t, false)
	ann := s.open(t, "u_ann", newTicket)
	bob := s.open(t, "u_bob", `{"subject":"Invoice","category":"billing","priority":"low","body":"Where is it?"}`)

	t.Run("StaffAlertQueuedWithTicket", func(t *testing.T) {
		d := s.queued(t, panel.NotificationID(panel.NotifyStaffTicketNew, ann))
		if d.Data["email"] != "ann@example.com" || d.Data["excerpt"] != "web-1 is **full**" {
			t.Fatalf("got %+v", d)
		}
	})

	tests := []struct {
		name, method, target, user, body string
		want                             int
		wantIn                           string
	}{
		{"CreateErrInvalid", "POST", "/api/tickets", "u_ann", `{"subject":"","category":"x","priority":"y","body":""}`, 400, `"category"`},
		{"CreateErrForeignServer", "POST", "/api/tickets", "u_ann", `{"subject":"s","category":"sales","priority":"low","serverId":77,"body":"b"}`, 400, "Not one of your servers"},
		{"CreateErrSignedOut", "POST", "/api/tickets", "", newTicket, 401, "unauthorized"},
		{"List", "GET", "/api/tickets", "u_ann", "", 200, `"serverName":"web-1"`},
		{"ListErrStatus", "GET", "/api/tickets?status=lost", "u_ann", "", 400, `"status"`},
		{"ListOnlyOwn", "GET", "/api/tickets", "u_bob", "", 200, `"subject":"Invoice"`},
		{"Get", "GET", "/api/tickets/" + ann, "u_ann", "", 200, `"body":"web-1 is **full**"`},
		{"GetErrForeign", "GET", "/api/tickets/" + bob, "u_ann", "", 404, "not_found"},
		{"GetErrMissing", "GET", "/api/tickets/t_nope", "u_ann", "", 404, "not_found"},
		{"MessageErrForeign", "POST", "/api/tickets/" + bob + "/messages", "u_ann", `{"body":"hi"}`, 404, "not_found"},
		{"MessageErrEmpty", "POST", "/api/tickets/" + ann + "/messages", "u_ann", `{"body":"  "}`, 400, `"body"`},
		{"Message", "POST", "/api/tickets/" + ann + "/messages", "u_ann", `{"body":"any news?"}`, 201, `"waitingOn":"staff"`},
		{"CloseErrForeign", "POST", "/api/tickets/" + bob + "/close", "u_ann", "", 404, "not_found"},
		{"ReopenErrForeign", "POST", "/api/tickets/" + bob + "/reopen", "u_ann", "", 404, "not_found"},
		{"Close", "POST", "/api/tickets/" + ann + "/close", "u_ann", "", 200, `"status":"closed"`},
		{"ListClosed", "GET", "/api/tickets?status=closed", "u_ann", "", 200, ann},
		{"MessageErrClosed", "POST", "/api/tickets/" + ann + "/messages", "u_ann", `{"body":"one more"}`, 409, "Reopen"},
		{"Reopen", "POST", "/api/tickets/" + ann + "/reopen", "u_ann", "", 200, `"status":"open"`},
		{"UnreadNone", "GET", "/api/tickets/unread", "u_ann", "", 200, `{"count":0}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := s.do(t, tt.method, tt.target, tt.user, tt.body)
			if w.Code != tt.want || !strings.Contains(w.Body.String(), tt.wantIn) {
				t.Fatalf("got %d %s, want %d with %s", w.Code, w.Body, tt.want, tt.wantIn)
			}
		})
	}
	t.Run("ListOnlyOwnExcludesOthers", func(t *testing.T) {
		page := decode[panel.Page[*panel.Ticket]](t, s.do(t, "GET", "/api/tickets", "u_bob", ""))
		if len(page.Items) != 1 || page.Items[0].ID != bob {
			t.Fatalf("got %+v", page.Items)
		}
	})
	t.Run("CloseMailsCustomer", func(t *testing.T) {
		page, _, err := dynamo.NewOutbox(s.store).History(context.Background(), "u_ann", "", 20)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, d := range page {
			found = found || d.Kind == panel.NotifyTicketClosed
		}
		if !found {
			t.Fatalf("no ticket-closed mail in %+v", page)
		}
	})
	t.Run("ErrRateLimited", func(t *testing.T) {
		var last *httptest.ResponseRecorder
		for range tickets.CreateLimit {
			last = s.do(t, "POST", "/api/tickets", "u_bob", `{"subject":"s","category":"sales","priority":"low","body":"b"}`)
		}
		if last.Code != 429 || last.Header().Get("Retry-After") == "" {
			t.Fatalf("got %d %s, want 429 with Retry-After", last.Code, last.Body)
		}
	})
}

func TestStaffRoutes(t *testing.T) {
	s := newServer(t, true)
	ann := s.open(t, "u_ann", newTicket)

	// Every staff route refuses a customer.
	for _, r := range routes.ForFunction("support") {
		if r.Auth != routes.Admin {
			continue
		}
		t.Run("ErrCustomer "+r.Pattern(), func(t *testing.T) {
			target := strings.ReplaceAll(r.Path, "{id}", ann)
			if w := s.do(t, r.Method, target, "u_ann", `{}`); w.Code != 403 {
				t.Fatalf("got %d %s, want 403", w.Code, w.Body)
			}
		})
	}

	tests := []struct {
		name, method, target, body string
		want                       int
		wantIn                     string
	}{
		{"Queue", "GET", "/api/admin/tickets", "", 200, `"unread":true`},
		{"QueueFiltered", "GET", "/api/admin/tickets?category=billing", "", 200, `"items":[]`},
		{"QueueErrFilter", "GET", "/api/admin/tickets?priority=meh&waitingOn=x", "", 400, `"waitingOn"`},
		{"QueueWaitingOnStaff", "GET", "/api/admin/tickets?waitingOn=staff&assignee=none", "", 200, ann},
		{"Thread", "GET", "/api/admin/tickets/" + ann, "", 200, `"serverId":42`},
		{"ThreadErrMissing", "GET", "/api/admin/tickets/t_nope", "", 404, "not_found"},
		{"Note", "POST", "/api/admin/tickets/" + ann + "/messages", `{"body":"legacy plan","internal":true}`, 201, `"internal":true`},
		{"Reply", "POST", "/api/admin/tickets/" + ann + "/messages", `{"body":"We grew the disk."}`, 201, `"waitingOn":"customer"`},
		{"ReplyErrMissing", "POST", "/api/admin/tickets/t_nope/messages", `{"body":"x"}`, 404, "not_found"},
		{"AssignMe", "PATCH", "/api/admin/tickets/" + ann, `{"assignee":"me"}`, 200, `"assigneeName":"Sam"`},
		{"AssignErrCustomer", "PATCH", "/api/admin/tickets/" + ann, `{"assignee":"u_bob"}`, 400, "Only staff"},
		{"AssignOtherStaff", "PATCH", "/api/admin/tickets/" + ann, `{"assignee":"u_kim","priority":"urgent"}`, 200, `"assigneeName":"Kim"`},
		{"QueueByAssignee", "GET", "/api/admin/tickets?assignee=u_kim&priority=urgent", "", 200, ann},
		{"ChangeErrNothing", "PATCH", "/api/admin/tickets/" + ann, `{}`, 400, `"status"`},
		{"ChangeErrMissing", "PATCH", "/api/admin/tickets/t_nope", `{"status":"closed"}`, 404, "not_found"},
		{"Context", "GET", "/api/admin/tickets/" + ann + "/context", "", 200, `"balanceMinor":4250`},
		{"ContextErrMissing", "GET", "/api/admin/tickets/t_nope/context", "", 404, "not_found"},
		{"Draft", "POST", "/api/admin/tickets/" + ann + "/draft", "", 200, "Disk full"},
		{"DraftErrMissing", "POST", "/api/admin/tickets/t_nope/draft", "", 404, "not_found"},
		{"CannedEmpty", "GET", "/api/admin/canned-replies", "", 200, `{"items":[]}`},
		{"CannedErrInvalid", "POST", "/api/admin/canned-replies", `{"title":"","body":""}`, 400, `"title"`},
		{"CannedUpdateErrMissing", "PUT", "/api/admin/canned-replies/c_nope", `{"title":"t","body":"b"}`, 404, "not_found"},
		{"CannedDeleteErrMissing", "DELETE", "/api/admin/canned-replies/c_nope", "", 404, "not_found"},
		{"Close", "PATCH", "/api/admin/tickets/" + ann, `{"status":"closed"}`, 200, `"status":"closed"`},
		{"QueueClosed", "GET", "/api/admin/tickets?status=closed", "", 200, ann},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := s.do(t, tt.method, tt.target, "u_staff", tt.body)
			if w.Code != tt.want || !strings.Contains(w.Body.String(), tt.wantIn) {
				t.Fatalf("got %d %s, want %d with %s", w.Code, w.Body, tt.want, tt.wantIn)
			}
		})
	}

	t.Run("CustomerSeesReplyNotNote", func(t *testing.T) {
		if w := s.do(t, "GET", "/api/tickets/unread", "u_ann", ""); !strings.Contains(w.Body.String(), `{"count":1}`) {
			t.Fatalf("unread: got %s", w.Body)
		}
		th := decode[tickets.Thread](t, s.do(t, "GET", "/api/tickets/"+ann, "u_ann", ""))
		for _, m := range th.Messages {
			if m.Internal || strings.Contains(m.Body, "legacy plan") {
				t.Fatalf("customer sees the internal note: %+v", m)
			}
		}
		if len(th.Messages) != 2 || th.Messages[1].Body != "We grew the disk." {
			t.Fatalf("got %+v", th.Messages)
		}
		if w := s.do(t, "GET", "/api/tickets/unread", "u_ann", ""); !strings.Contains(w.Body.String(), `{"count":0}`) {
			t.Fatalf("unread after reading: got %s", w.Body)
		}
	})
	t.Run("ReplyMailedNoteNot", func(t *testing.T) {
		page, _, err := dynamo.NewOutbox(s.store).History(context.Background(), "u_ann", "", 20)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, d := range page {
			kinds = append(kinds, string(d.Kind))
			if strings.Contains(d.Data["excerpt"], "legacy plan") {
				t.Fatalf("internal note mailed: %+v", d)
			}
		}
		if strings.Join(kinds, ",") != "ticket-closed,ticket-reply" {
			t.Fatalf("got %v, want ticket-closed,ticket-reply", kinds)
		}
	})
	t.Run("ChangesAudited", func(t *testing.T) {
		entries, _, err := dynamo.NewAuditLog(s.store).Activity(context.Background(), "u_ann", "", 20)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			if e.Actor == "u_staff" {
				got = append(got, string(e.Action)+": "+e.Detail)
			}
		}
		want := `ticket.change: status open → closed|ticket.change: priority high → urgent; assignee "Sam" → "Kim"|ticket.change: assignee "" → "Sam"|ticket.reply: |ticket.note: `
		if strings.Join(got, "|") != want {
			t.Fatalf("got %q\nwant %q", strings.Join(got, "|"), want)
		}
	})
	t.Run("CannedCRUD", func(t *testing.T) {
		w := s.do(t, "POST", "/api/admin/canned-replies", "u_staff", `{"title":"Disk resize","body":"Resize from the server page."}`)
		if w.Code != 201 {
			t.Fatalf("create: got %d %s", w.Code, w.Body)
		}
		c := decode[panel.CannedReply](t, w)
		if w := s.do(t, "PUT", "/api/admin/canned-replies/"+c.ID, "u_staff", `{"title":"Resize","body":"b"}`); w.Code != 200 {
			t.Fatalf("update: got %d %s", w.Code, w.Body)
		}
		if l := decode[tickets.CannedList](t, s.do(t, "GET", "/api/admin/canned-replies", "u_staff", "")); len(l.Items) != 1 || l.Items[0].Title != "Resize" {
			t.Fatalf("list: got %+v", l)
		}
		if w := s.do(t, "DELETE", "/api/admin/canned-replies/"+c.ID, "u_staff", ""); w.Code != 204 {
			t.Fatalf("delete: got %d %s", w.Code, w.Body)
		}
	})
	t.Run("DraftFailuresAreClear", func(t *testing.T) {
		for mode, want := range map[string]int{geminisim.ModeRateLimit: 429, geminisim.ModeInternal: 503,
			geminisim.ModeBlockPrompt: 502} {
			s.gemini.FailNext(mode)
			w := s.do(t, "POST", "/api/admin/tickets/"+ann+"/draft", "u_staff", "")
			if w.Code != want || !strings.Contains(w.Body.String(), "write the reply yourself") && !strings.Contains(w.Body.String(), "Write the reply yourself") {
				t.Errorf("%s: got %d %s, want %d", mode, w.Code, w.Body, want)
			}
		}
	})
	t.Run("DraftErrNotSetUp", func(t *testing.T) {
		s2 := newServer(t, false)
		id := s2.open(t, "u_ann", newTicket)
		if w := s2.do(t, "POST", "/api/admin/tickets/"+id+"/draft", "u_staff", ""); w.Code != 503 || !strings.Contains(w.Body.String(), "not set up") {
			t.Fatalf("got %d %s", w.Code, w.Body)
		}
	})
}
