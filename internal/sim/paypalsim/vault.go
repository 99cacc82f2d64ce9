package paypalsim

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"time"
)

// Vault v3 (Payment Method Tokens): setup tokens the payer approves,
// payment tokens made from approved setup tokens, and merchant-initiated
// orders paid with a payment token (payment_source.paypal.vault_id).

// setupToken is a /v3/vault/setup-tokens resource.
type setupToken struct {
	ID           string    `json:"id"`
	Status       string    `json:"status"` // PAYER_ACTION_REQUIRED, APPROVED, VAULTED
	CustomerID   string    `json:"customerId"`
	UsageType    string    `json:"usageType"`
	UsagePattern string    `json:"usagePattern,omitempty"`
	Description  string    `json:"description,omitempty"`
	ReturnURL    string    `json:"returnUrl"`
	CancelURL    string    `json:"cancelUrl"`
	PayerID      string    `json:"payerId,omitempty"`
	Created      time.Time `json:"created"`
}

// paymentToken is a /v3/vault/payment-tokens resource.
type paymentToken struct {
	ID           string    `json:"id"`
	CustomerID   string    `json:"customerId"`
	PayerID      string    `json:"payerId"`
	UsageType    string    `json:"usageType"`
	UsagePattern string    `json:"usagePattern,omitempty"`
	Description  string    `json:"description,omitempty"`
	Created      time.Time `json:"created"`
}

type setupTokenReq struct {
	Customer *struct {
		ID string `json:"id"`
	} `json:"customer"`
	PaymentSource *struct {
		PayPal *struct {
			Description                 string `json:"description"`
			UsagePattern                string `json:"usage_pattern"`
			UsageType                   string `json:"usage_type"`
			CustomerType                string `json:"customer_type"`
			PermitMultiplePaymentTokens bool   `json:"permit_multiple_payment_tokens"`
			ExperienceContext           struct {
				ReturnURL string `json:"return_url"`
				CancelURL string `json:"cancel_url"`
				BrandName string `json:"brand_name"`
				Locale    string `json:"locale"`
			} `json:"experience_context"`
		} `json:"paypal"`
	} `json:"payment_source"`
}

var usagePatterns = map[string]bool{"IMMEDIATE": true, "DEFERRED": true, "RECURRING_PREPAID": true, "RECURRING_POSTPAID": true,
	"THRESHOLD_PREPAID": true, "THRESHOLD_POSTPAID": true, "SUBSCRIPTION_PREPAID": true, "SUBSCRIPTION_POSTPAID": true,
	"UNSCHEDULED_PREPAID": true, "UNSCHEDULED_POSTPAID": true, "INSTALLMENT_PREPAID": true, "INSTALLMENT_POSTPAID": true}

func (s *Server) handleCreateSetupToken(w http.ResponseWriter, r *http.Request) {
	key := idemKey(r, "setup-token")
	if s.replayed(w, key) {
		return
	}
	var req setupTokenReq
	if !readJSON(w, r, &req, false) {
		return
	}
	if req.PaymentSource == nil || req.PaymentSource.PayPal == nil {
		invalidRequest(w, "/payment_source", "MISSING_REQUIRED_PARAMETER", "A required field / parameter is missing.")
		return
	}
	pp := req.PaymentSource.PayPal
	switch {
	case pp.UsageType != "MERCHANT" && pp.UsageType != "PLATFORM":
		invalidRequest(w, "/payment_source/paypal/usage_type", "INVALID_PARAMETER_VALUE", "The value of a field is invalid.")
		return
	case pp.UsagePattern != "" && !usagePatterns[pp.UsagePattern]:
		invalidRequest(w, "/payment_source/paypal/usage_pattern", "INVALID_PARAMETER_VALUE", "The value of a field is invalid.")
		return
	case pp.CustomerType != "" && pp.CustomerType != "CONSUMER" && pp.CustomerType != "BUSINESS":
		invalidRequest(w, "/payment_source/paypal/customer_type", "INVALID_PARAMETER_VALUE", "The value of a field is invalid.")
		return
	case !validURL(pp.ExperienceContext.ReturnURL) || !validURL(pp.ExperienceContext.CancelURL):
		// Required for the PayPal wallet's payer-approval contingency.
		invalidRequest(w, "/payment_source/paypal/experience_context/return_url", "MISSING_REQUIRED_PARAMETER", "A required field / parameter is missing.")
		return
	}
	t := &setupToken{ID: paypalID(17), Status: "PAYER_ACTION_REQUIRED", CustomerID: "customer_" + randHex(5),
		UsageType: pp.UsageType, UsagePattern: pp.UsagePattern, Description: pp.Description,
		ReturnURL: pp.ExperienceContext.ReturnURL, CancelURL: pp.ExperienceContext.CancelURL, Created: s.now().UTC()}
	if req.Customer != nil && req.Customer.ID != "" {
		t.CustomerID = req.Customer.ID
	}
	s.mu.Lock()
	s.setupTokens[t.ID] = t
	body := s.setupTokenJSONLocked(t)
	s.storeLocked(key, http.StatusOK, body)
	s.mu.Unlock()
	// PayPal answers a new setup token with 200 OK.
	writeRaw(w, http.StatusOK, body)
}

func validURL(v string) bool {
	u, err := url.Parse(v)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func (s *Server) setupTokenJSONLocked(t *setupToken) []byte {
	links := []link{{Href: s.publicURL + "/v3/vault/setup-tokens/" + t.ID, Rel: "self", Method: "GET"}}
	if t.Status == "PAYER_ACTION_REQUIRED" {
		links = append(links, link{Href: s.publicURL + "/agreements/approve?approval_session_id=" + t.ID, Rel: "approve", Method: "GET"})
	} else if t.Status == "APPROVED" {
		links = append(links, link{Href: s.publicURL + "/v3/vault/payment-tokens", Rel: "confirm", Method: "POST"})
	}
	pp := map[string]any{"usage_type": t.UsageType, "customer_type": "CONSUMER", "permit_multiple_payment_tokens": false}
	if t.UsagePattern != "" {
		pp["usage_pattern"] = t.UsagePattern
	}
	if t.Description != "" {
		pp["description"] = t.Description
	}
	b, _ := json.Marshal(map[string]any{"id": t.ID, "customer": map[string]string{"id": t.CustomerID}, "status": t.Status,
		"payment_source": map[string]any{"paypal": pp}, "links": links})
	return b
}

func (s *Server) handleGetSetupToken(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	t, ok := s.setupTokens[r.PathValue("id")]
	var body []byte
	if ok {
		body = s.setupTokenJSONLocked(t)
	}
	s.mu.Unlock()
	if !ok {
		notFound(w, "setup_token_id", r.PathValue("id"))
		return
	}
	writeRaw(w, http.StatusOK, body)
}

var vaultPage = template.Must(template.New("vault").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PayPal: save your payment method (simulated)</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:4rem auto;text-align:center}
button{display:block;width:100%;margin:.5rem 0;padding:.8rem;font-size:1rem;border-radius:2rem;border:0;cursor:pointer}
.pay{background:#ffc439}.cancel{background:#eee}</style></head>
<body><h1>PayPal (simulated)</h1>
<p>Allow the merchant to charge your PayPal account when you are not present.</p>
{{if .Message}}<p role="alert">{{.Message}}</p>{{else}}
<form method="post" action="/agreements/approve"><input type="hidden" name="approval_session_id" value="{{.ID}}">
<button class="pay" type="submit">Agree and continue (simulated)</button></form>
<form method="post" action="/agreements/cancel"><input type="hidden" name="approval_session_id" value="{{.ID}}">
<button class="cancel" type="submit">Cancel</button></form>{{end}}
</body></html>
`))

// handleVaultPage serves the payer's approval of a setup token.
func (s *Server) handleVaultPage(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("approval_session_id")
	s.mu.Lock()
	t, ok := s.setupTokens[id]
	view := struct{ ID, Message string }{ID: id}
	if ok && t.Status != "PAYER_ACTION_REQUIRED" {
		view.Message = "This agreement is " + t.Status + "."
	}
	s.mu.Unlock()
	if !ok {
		http.Error(w, "Unknown approval session.", http.StatusNotFound)
		return
	}
	if s.opts.AutoApprove && view.Message == "" {
		s.approveSetupAndRedirect(w, r, id)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	vaultPage.Execute(w, view)
}

func (s *Server) handleVaultApprove(w http.ResponseWriter, r *http.Request) {
	s.approveSetupAndRedirect(w, r, r.PostFormValue("approval_session_id"))
}

// ApproveSetupToken approves a setup token as its payer would.
func (s *Server) ApproveSetupToken(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.setupTokens[id]
	if !ok {
		return fmt.Errorf("paypalsim: no setup token %s", id)
	}
	if t.Status != "PAYER_ACTION_REQUIRED" {
		return fmt.Errorf("paypalsim: setup token %s is %s", id, t.Status)
	}
	t.Status, t.PayerID = "APPROVED", paypalID(13)
	return nil
}

// approveSetupAndRedirect approves and sends the payer to the return URL
// with approval_token_id and approval_session_id, as PayPal does.
func (s *Server) approveSetupAndRedirect(w http.ResponseWriter, r *http.Request, id string) {
	if err := s.ApproveSetupToken(id); err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	s.mu.Lock()
	target := s.setupTokens[id].ReturnURL
	s.mu.Unlock()
	redirect(w, r, target, url.Values{"approval_token_id": {id}, "approval_session_id": {id}})
}

func (s *Server) handleVaultCancel(w http.ResponseWriter, r *http.Request) {
	id := r.PostFormValue("approval_session_id")
	s.mu.Lock()
	t, ok := s.setupTokens[id]
	var target string
	if ok {
		target = t.CancelURL
	}
	s.mu.Unlock()
	if !ok {
		http.Error(w, "Unknown approval session.", http.StatusNotFound)
		return
	}
	redirect(w, r, target, url.Values{"approval_session_id": {id}})
}

type paymentTokenReq struct {
	PaymentSource *struct {
		Token *struct {
			ID   string `json:"id"`
			Type string `json:"type"`
		} `json:"token"`
	} `json:"payment_source"`
}

func (s *Server) handleCreatePaymentToken(w http.ResponseWriter, r *http.Request) {
	key := idemKey(r, "payment-token")
	if s.replayed(w, key) {
		return
	}
	var req paymentTokenReq
	if !readJSON(w, r, &req, false) {
		return
	}
	if req.PaymentSource == nil || req.PaymentSource.Token == nil || req.PaymentSource.Token.ID == "" {
		invalidRequest(w, "/payment_source/token/id", "MISSING_REQUIRED_PARAMETER", "A required field / parameter is missing.")
		return
	}
	if req.PaymentSource.Token.Type != "SETUP_TOKEN" {
		invalidRequest(w, "/payment_source/token/type", "INVALID_PARAMETER_VALUE", "The value of a field is invalid.")
		return
	}
	s.mu.Lock()
	st, ok := s.setupTokens[req.PaymentSource.Token.ID]
	switch {
	case !ok:
		s.mu.Unlock()
		notFound(w, "token_id", req.PaymentSource.Token.ID)
		return
	case st.Status != "APPROVED":
		s.mu.Unlock()
		unprocessable(w, "SETUP_TOKEN_NOT_TOKENIZED", "The payment source represented by this setup token is not vaulted.")
		return
	}
	st.Status = "VAULTED"
	pt := &paymentToken{ID: paypalID(7), CustomerID: st.CustomerID, PayerID: st.PayerID, UsageType: st.UsageType,
		UsagePattern: st.UsagePattern, Description: st.Description, Created: s.now().UTC()}
	s.paymentTokens[pt.ID] = pt
	body := s.paymentTokenJSONLocked(pt)
	s.storeLocked(key, http.StatusCreated, body)
	s.mu.Unlock()
	writeRaw(w, http.StatusCreated, body)
}

func (s *Server) paymentTokenJSONLocked(pt *paymentToken) []byte {
	self := s.publicURL + "/v3/vault/payment-tokens/" + pt.ID
	pp := map[string]any{"email_address": "buyer@example.com", "payer_id": pt.PayerID, "usage_type": pt.UsageType,
		"customer_type": "CONSUMER", "name": map[string]string{"given_name": "Sim", "surname": "Buyer"}}
	if pt.Description != "" {
		pp["description"] = pt.Description
	}
	b, _ := json.Marshal(map[string]any{"id": pt.ID, "customer": map[string]string{"id": pt.CustomerID},
		"payment_source": map[string]any{"paypal": pp},
		"links":          []link{{Href: self, Rel: "self", Method: "GET"}, {Href: self, Rel: "delete", Method: "DELETE"}}})
	return b
}

func (s *Server) handleGetPaymentToken(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	pt, ok := s.paymentTokens[r.PathValue("id")]
	var body []byte
	if ok {
		body = s.paymentTokenJSONLocked(pt)
	}
	s.mu.Unlock()
	if !ok {
		notFound(w, "payment_token_id", r.PathValue("id"))
		return
	}
	writeRaw(w, http.StatusOK, body)
}

func (s *Server) handleDeletePaymentToken(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	_, ok := s.paymentTokens[r.PathValue("id")]
	delete(s.paymentTokens, r.PathValue("id"))
	s.mu.Unlock()
	if !ok {
		notFound(w, "payment_token_id", r.PathValue("id"))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// HasPaymentToken reports whether a payment token is vaulted.
func (s *Server) HasPaymentToken(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.paymentTokens[id]
	return ok
}

// DeclineVaultNext makes the next merchant-initiated order be declined.
func (s *Server) DeclineVaultNext() {
	s.mu.Lock()
	s.declineVault = true
	s.mu.Unlock()
}

// vaultSource is payment_source.paypal of a merchant-initiated order.
type vaultSource struct {
	VaultID          string `json:"vault_id"`
	StoredCredential *struct {
		PaymentInitiator string `json:"payment_initiator"`
		ChargePattern    string `json:"charge_pattern"`
		Usage            string `json:"usage"`
		UsagePattern     string `json:"usage_pattern"`
	} `json:"stored_credential"`
}

// createVaultOrderLocked completes an order paid with a payment token at
// once, as PayPal does for intent CAPTURE with a vault_id; it answers
// (status, body, event) or writes an error and returns status 0.
func (s *Server) createVaultOrderLocked(w http.ResponseWriter, o *order, vs *vaultSource) (*event, bool) {
	pt, ok := s.paymentTokens[vs.VaultID]
	switch {
	case !ok:
		unprocessable(w, "INVALID_RESOURCE_ID", "Specified resource ID does not exist. Please check the resource ID and try again.")
		return nil, false
	case o.Intent != "CAPTURE":
		unprocessable(w, "INVALID_PARAMETER_VALUE", "The simulator captures vaulted payments only with intent CAPTURE.")
		return nil, false
	case vs.StoredCredential != nil && vs.StoredCredential.PaymentInitiator != "MERCHANT" && vs.StoredCredential.PaymentInitiator != "CUSTOMER":
		unprocessable(w, "INVALID_PARAMETER_VALUE", "The value of payment_source/paypal/stored_credential/payment_initiator is invalid.")
		return nil, false
	case s.declineVault:
		s.declineVault = false
		unprocessable(w, "INSTRUMENT_DECLINED", "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.")
		return nil, false
	}
	now := s.now().UTC()
	o.PayerID, o.VaultID = pt.PayerID, pt.ID
	c := &capture{ID: paypalID(17), OrderID: o.ID, Status: "COMPLETED", Amount: o.Amount, Minor: o.Minor,
		CustomID: o.CustomID, InvoiceID: o.InvoiceID, Created: now, Updated: now}
	s.captures[c.ID] = c
	o.Captures = append(o.Captures, c.ID)
	o.Status, o.Updated = "COMPLETED", now
	return s.newEventLocked("PAYMENT.CAPTURE.COMPLETED", "capture",
		fmt.Sprintf("Payment completed for %s %s", o.Amount.Value, o.Amount.CurrencyCode), s.captureJSONLocked(c, captureWebhook)), true
}
