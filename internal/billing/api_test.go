package billing_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	billingapi "github.com/vfpanel/vfpanel/internal/api/billing"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// fixedAuth authenticates every request as one principal.
type fixedAuth struct{ p *panel.Principal }

func (a fixedAuth) Authenticate(*http.Request) (*panel.Principal, error) { return a.p, nil }

func TestBillingAPI(t *testing.T) {
	e := newEnv(t, envOpts{})
	p := &panel.Principal{UserID: "u_api", Name: "Api User", Role: panel.RoleCustomer, EmailVerified: true}
	h, err := httpx.Mount("billing", billingapi.Handlers(e.svc), fixedAuth{p})
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, path, body string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(method, path, bytes.NewBufferString(body)))
		return w
	}
	w := do("POST", "/api/billing/topups", `{"amount":"25.00"}`)
	var st struct{ OrderID, ApproveURL string }
	if w.Code != http.StatusCreated || json.Unmarshal(w.Body.Bytes(), &st) != nil || st.OrderID == "" || st.ApproveURL == "" {
		t.Fatalf("topup: got %d %s", w.Code, w.Body)
	}
	if w := do("POST", "/api/billing/topups", `{"amount":"1.00"}`); w.Code != http.StatusBadRequest {
		t.Fatalf("small topup: got %d, want 400", w.Code)
	}
	e.pp.Approve(st.OrderID)
	if w := do("POST", "/api/billing/topups/"+st.OrderID+"/capture", ""); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"credited":true`) {
		t.Fatalf("capture: got %d %s", w.Code, w.Body)
	}
	for _, c := range []struct{ path, want string }{
		{"/api/billing/balance", `"balanceMinor":2500`},
		{"/api/billing/transactions?type=topup&limit=10", `"amountMinor":2500`},
		{"/api/billing/invoices", `"creditsMinor":2500`},
	} {
		if w := do("GET", c.path, ""); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), c.want) {
			t.Errorf("GET %s: got %d %s, want %s", c.path, w.Code, w.Body, c.want)
		}
	}
	if w := do("GET", "/api/billing/transactions?type=bogus", ""); w.Code != http.StatusBadRequest {
		t.Errorf("bad type: got %d, want 400", w.Code)
	}
	month := e.now().UTC().Format("2006-01")
	w = do("GET", "/api/billing/invoices/"+month+"/pdf", "")
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(w.Body.Bytes(), []byte("%PDF-")) {
		t.Fatalf("pdf: got %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	if w := do("GET", "/api/billing/invoices/1999-01/pdf", ""); w.Code != http.StatusNotFound {
		t.Errorf("missing invoice: got %d, want 404", w.Code)
	}
}
