package paypalsim

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("POST /v1/oauth2/token", s.withFaults(s.handleToken))
	m.HandleFunc("POST /v2/checkout/orders", s.withFaults(s.authed(s.handleCreateOrder)))
	m.HandleFunc("GET /v2/checkout/orders/{id}", s.withFaults(s.authed(s.handleGetOrder)))
	m.HandleFunc("POST /v2/checkout/orders/{id}/capture", s.withFaults(s.authed(s.handleCapture)))
	m.HandleFunc("GET /v2/payments/captures/{id}", s.withFaults(s.authed(s.handleGetCapture)))
	m.HandleFunc("POST /v2/payments/captures/{id}/refund", s.withFaults(s.authed(s.handleRefund)))
	m.HandleFunc("GET /v2/payments/refunds/{id}", s.withFaults(s.authed(s.handleGetRefund)))
	m.HandleFunc("GET /v1/notifications/certs/{name}", s.handleCert)
	m.HandleFunc("GET /checkoutnow", s.handleCheckout)
	m.HandleFunc("POST /checkoutnow/approve", s.handleCheckoutApprove)
	m.HandleFunc("POST /checkoutnow/cancel", s.handleCheckoutCancel)
	// Vault v3 (auto top-up).
	m.HandleFunc("POST /v3/vault/setup-tokens", s.withFaults(s.authed(s.handleCreateSetupToken)))
	m.HandleFunc("GET /v3/vault/setup-tokens/{id}", s.withFaults(s.authed(s.handleGetSetupToken)))
	m.HandleFunc("POST /v3/vault/payment-tokens", s.withFaults(s.authed(s.handleCreatePaymentToken)))
	m.HandleFunc("GET /v3/vault/payment-tokens/{id}", s.withFaults(s.authed(s.handleGetPaymentToken)))
	m.HandleFunc("DELETE /v3/vault/payment-tokens/{id}", s.withFaults(s.authed(s.handleDeletePaymentToken)))
	m.HandleFunc("GET /agreements/approve", s.handleVaultPage)
	m.HandleFunc("POST /agreements/approve", s.handleVaultApprove)
	m.HandleFunc("POST /agreements/cancel", s.handleVaultCancel)
	s.mux = m
}

// State.

type amount struct {
	CurrencyCode string `json:"currency_code"`
	Value        string `json:"value"`
}

type order struct {
	ID          string    `json:"id"`
	Intent      string    `json:"intent"`
	Status      string    `json:"status"`
	Amount      amount    `json:"amount"`
	Minor       int64     `json:"minor"`
	ReferenceID string    `json:"referenceId"`
	CustomID    string    `json:"customId,omitempty"`
	InvoiceID   string    `json:"invoiceId,omitempty"`
	ReturnURL   string    `json:"returnUrl,omitempty"`
	CancelURL   string    `json:"cancelUrl,omitempty"`
	PayerAction bool      `json:"payerAction,omitempty"` // payment_source.paypal given: link rel payer-action
	PayerID     string    `json:"payerId,omitempty"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
	Captures    []string  `json:"captures,omitempty"`
	DeclineNext bool      `json:"declineNext,omitempty"`
	VaultID     string    `json:"vaultId,omitempty"` // paid with this payment token
}

type capture struct {
	ID            string    `json:"id"`
	OrderID       string    `json:"orderId"`
	Status        string    `json:"status"`
	Reason        string    `json:"reason,omitempty"`
	Amount        amount    `json:"amount"`
	Minor         int64     `json:"minor"`
	RefundedMinor int64     `json:"refundedMinor"`
	CustomID      string    `json:"customId,omitempty"`
	InvoiceID     string    `json:"invoiceId,omitempty"`
	Created       time.Time `json:"created"`
	Updated       time.Time `json:"updated"`
}

type refund struct {
	ID        string `json:"id"`
	CaptureID string `json:"captureId"`
	Status    string `json:"status"`
	Amount    amount `json:"amount"`
	CustomID  string `json:"customId,omitempty"`  // from the refund request only
	InvoiceID string `json:"invoiceId,omitempty"` // from the refund request only
	// NoteToPayer is "Payment reversed" on reversals.
	NoteToPayer string    `json:"noteToPayer,omitempty"`
	Created     time.Time `json:"created"`
}

type replay struct {
	status int
	body   []byte
}

// IDs in PayPal's style.

const idChars = "0123456789ABCDEFGHJKLMNPRSTUVWXY"

func paypalID(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = idChars[int(b[i])%len(idChars)]
	}
	return string(b)
}

func randHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func uuid() string {
	h := randHex(16)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// Answers.

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	writeRaw(w, status, b)
}

func writeRaw(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Paypal-Debug-Id", randHex(7))
	w.WriteHeader(status)
	w.Write(b)
}

type errDetail struct {
	Field       string `json:"field,omitempty"`
	Value       string `json:"value,omitempty"`
	Location    string `json:"location,omitempty"`
	Issue       string `json:"issue"`
	Description string `json:"description"`
}

type link struct {
	Href   string `json:"href"`
	Rel    string `json:"rel"`
	Method string `json:"method"`
}

// writeError answers in PayPal's error shape; issue may be empty.
func writeError(w http.ResponseWriter, status int, name, message, issue, description string, details ...errDetail) {
	if issue != "" {
		details = append([]errDetail{{Issue: issue, Description: description}}, details...)
	}
	debug := randHex(7)
	body := map[string]any{"name": name, "message": message, "debug_id": debug}
	if len(details) > 0 {
		body["details"] = details
		body["links"] = []link{{Href: "https://developer.paypal.com/docs/api/orders/v2/#error-" + details[0].Issue, Rel: "information_link", Method: "GET"}}
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Paypal-Debug-Id", debug)
	w.WriteHeader(status)
	w.Write(b)
}

const (
	msgInvalid       = "Request is not well-formed, syntactically incorrect, or violates schema."
	msgUnprocessable = "The requested action could not be performed, semantically incorrect, or failed business validation."
	msgNotFound      = "The specified resource does not exist."
)

func invalidRequest(w http.ResponseWriter, field, issue, description string) {
	writeError(w, http.StatusBadRequest, "INVALID_REQUEST", msgInvalid, "", "", errDetail{Field: field, Location: "body", Issue: issue, Description: description})
}

func unprocessable(w http.ResponseWriter, issue, description string) {
	writeError(w, http.StatusUnprocessableEntity, "UNPROCESSABLE_ENTITY", msgUnprocessable, issue, description)
}

func notFound(w http.ResponseWriter, field, id string) {
	writeError(w, http.StatusNotFound, "RESOURCE_NOT_FOUND", msgNotFound, "", "",
		errDetail{Field: field, Value: id, Location: "path", Issue: "INVALID_RESOURCE_ID", Description: "Specified resource ID does not exist. Please check the resource ID and try again."})
}

// Auth.

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok || id != s.opts.ClientID || secret != s.opts.ClientSecret {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "Client Authentication failed"})
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type", "error_description": "Grant Type is NULL"})
		return
	}
	tok := "A21AA" + randHex(24)
	s.mu.Lock()
	s.tokens[tok] = s.now().Add(s.opts.TokenTTL)
	s.tokenCalls++
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"scope":        "https://uri.paypal.com/services/payments/payment/authcode https://uri.paypal.com/services/payments/refund",
		"access_token": tok, "token_type": "Bearer", "app_id": "APP-80W284485P519543T",
		"expires_in": int64(s.opts.TokenTTL / time.Second), "nonce": s.now().UTC().Format(time.RFC3339) + randHex(8),
	})
}

// authed refuses requests without a live bearer token.
func (s *Server) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		s.mu.Lock()
		exp, known := s.tokens[tok]
		live := ok && known && s.now().Before(exp)
		s.mu.Unlock()
		if !live {
			writeError(w, http.StatusUnauthorized, "AUTHENTICATION_FAILURE", "Authentication failed due to invalid authentication credentials or a missing Authorization header.", "", "")
			return
		}
		h(w, r)
	}
}

// Idempotency: PayPal-Request-Id replays the first answer with 200.

// replayed answers from the idempotency store when key was seen.
func (s *Server) replayed(w http.ResponseWriter, key string) bool {
	if key == "" {
		return false
	}
	s.mu.Lock()
	rep, ok := s.idem[key]
	s.mu.Unlock()
	if !ok {
		return false
	}
	status := rep.status
	if status == http.StatusCreated {
		status = http.StatusOK
	}
	writeRaw(w, status, rep.body)
	return true
}

func idemKey(r *http.Request, op string) string {
	id := r.Header.Get("Paypal-Request-Id")
	if id == "" {
		return ""
	}
	return op + "|" + id
}

// readJSON decodes a JSON body; it answers and returns false on failure.
func readJSON(w http.ResponseWriter, r *http.Request, v any, allowEmpty bool) bool {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		invalidRequest(w, "", "MALFORMED_REQUEST", "The request body could not be read.")
		return false
	}
	if len(strings.TrimSpace(string(b))) == 0 && allowEmpty {
		return true
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "The server does not support the request payload's media type.", "", "")
		return false
	}
	if err := json.Unmarshal(b, v); err != nil {
		invalidRequest(w, "", "MALFORMED_REQUEST_JSON", "The request JSON is not well formed.")
		return false
	}
	return true
}

// Orders.

type createOrderReq struct {
	Intent        string `json:"intent"`
	PurchaseUnits []struct {
		ReferenceID string  `json:"reference_id"`
		Amount      *amount `json:"amount"`
		CustomID    string  `json:"custom_id"`
		InvoiceID   string  `json:"invoice_id"`
	} `json:"purchase_units"`
	PaymentSource *struct {
		PayPal *struct {
			ExperienceContext struct {
				ReturnURL string `json:"return_url"`
				CancelURL string `json:"cancel_url"`
			} `json:"experience_context"`
			vaultSource
		} `json:"paypal"`
	} `json:"payment_source"`
	ApplicationContext *struct {
		ReturnURL string `json:"return_url"`
		CancelURL string `json:"cancel_url"`
	} `json:"application_context"`
}

func (s *Server) handleCreateOrder(w http.ResponseWriter, r *http.Request) {
	key := idemKey(r, "create")
	if s.replayed(w, key) {
		return
	}
	var req createOrderReq
	if !readJSON(w, r, &req, false) {
		return
	}
	switch {
	case req.Intent == "":
		invalidRequest(w, "/intent", "MISSING_REQUIRED_PARAMETER", "A required field / parameter is missing.")
		return
	case req.Intent != "CAPTURE" && req.Intent != "AUTHORIZE":
		invalidRequest(w, "/intent", "INVALID_PARAMETER_VALUE", "The value of a field is invalid.")
		return
	case len(req.PurchaseUnits) == 0:
		invalidRequest(w, "/purchase_units", "MISSING_REQUIRED_PARAMETER", "A required field / parameter is missing.")
		return
	case len(req.PurchaseUnits) > 1:
		unprocessable(w, "MULTIPLE_PURCHASE_UNITS_NOT_SUPPORTED", "The simulator supports one purchase unit.")
		return
	}
	pu := req.PurchaseUnits[0]
	if pu.Amount == nil || pu.Amount.CurrencyCode == "" || pu.Amount.Value == "" {
		invalidRequest(w, "/purchase_units/@reference_id=='default'/amount", "MISSING_REQUIRED_PARAMETER", "A required field / parameter is missing.")
		return
	}
	if len(pu.Amount.CurrencyCode) != 3 || strings.ToUpper(pu.Amount.CurrencyCode) != pu.Amount.CurrencyCode {
		invalidRequest(w, "/purchase_units/@reference_id=='default'/amount/currency_code", "INVALID_PARAMETER_VALUE", "The value of a field is invalid.")
		return
	}
	minor, issue := parseValue(pu.Amount.Value, pu.Amount.CurrencyCode)
	if issue != "" {
		if issue == "INVALID_PARAMETER_SYNTAX" {
			invalidRequest(w, "/purchase_units/@reference_id=='default'/amount/value", issue, "The value of a field does not conform to the expected format.")
		} else {
			unprocessable(w, issue, "The amount is not acceptable for the currency.")
		}
		return
	}
	if len(pu.CustomID) > 127 || len(pu.InvoiceID) > 127 {
		invalidRequest(w, "/purchase_units/@reference_id=='default'/custom_id", "INVALID_STRING_MAX_LENGTH", "The value of a field is too long.")
		return
	}
	now := s.now().UTC()
	o := &order{
		ID: paypalID(17), Intent: req.Intent, Status: "CREATED", Amount: *pu.Amount, Minor: minor,
		ReferenceID: pu.ReferenceID, CustomID: pu.CustomID, InvoiceID: pu.InvoiceID,
		Created: now, Updated: now,
	}
	if o.ReferenceID == "" {
		o.ReferenceID = "default"
	}
	vault := req.PaymentSource != nil && req.PaymentSource.PayPal != nil && req.PaymentSource.PayPal.VaultID != ""
	if vault {
		o.PayerAction = true
	} else if ps := req.PaymentSource; ps != nil && ps.PayPal != nil {
		o.PayerAction = true
		o.ReturnURL, o.CancelURL = ps.PayPal.ExperienceContext.ReturnURL, ps.PayPal.ExperienceContext.CancelURL
	} else if ac := req.ApplicationContext; ac != nil {
		o.ReturnURL, o.CancelURL = ac.ReturnURL, ac.CancelURL
	}
	s.mu.Lock()
	if o.InvoiceID != "" && s.invoices[o.InvoiceID] {
		s.mu.Unlock()
		unprocessable(w, "DUPLICATE_INVOICE_ID", "Duplicate Invoice ID detected. To avoid a potential duplicate transaction your account setting requires that Invoice Id be unique for each transaction.")
		return
	}
	if o.InvoiceID != "" {
		s.invoices[o.InvoiceID] = true
	}
	var ev *event
	if vault {
		var ok bool
		if ev, ok = s.createVaultOrderLocked(w, o, &req.PaymentSource.PayPal.vaultSource); !ok {
			s.mu.Unlock()
			return
		}
	}
	s.orders[o.ID] = o
	body := s.orderJSONLocked(o, vault || preferFull(r))
	s.storeLocked(key, http.StatusCreated, body)
	s.mu.Unlock()
	if ev != nil {
		s.deliver(ev)
	}
	writeRaw(w, http.StatusCreated, body)
}

func preferFull(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Prefer"), "return=representation")
}

func (s *Server) storeLocked(key string, status int, body []byte) {
	if key != "" {
		s.idem[key] = replay{status, body}
	}
}

// parseValue checks a decimal amount string for currency; issue names the
// PayPal error when it is unacceptable.
func parseValue(v, currency string) (minor int64, issue string) {
	dec := 2
	if currency == "JPY" || currency == "HUF" || currency == "TWD" {
		dec = 0
	}
	whole, frac, dot := strings.Cut(v, ".")
	if whole == "" || (dot && frac == "") || strings.Trim(whole+frac, "0123456789") != "" || len(whole) > 10 {
		return 0, "INVALID_PARAMETER_SYNTAX"
	}
	if len(frac) > dec {
		return 0, "DECIMAL_PRECISION"
	}
	frac += strings.Repeat("0", dec-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, "INVALID_PARAMETER_SYNTAX"
	}
	if n <= 0 {
		return 0, "CANNOT_BE_ZERO_OR_NEGATIVE"
	}
	return n, ""
}

func formatValue(minor int64, currency string) string {
	if currency == "JPY" || currency == "HUF" || currency == "TWD" {
		return strconv.FormatInt(minor, 10)
	}
	return fmt.Sprintf("%d.%02d", minor/100, minor%100)
}

func (s *Server) handleGetOrder(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	o, ok := s.orders[id]
	var body []byte
	if ok {
		body = s.orderJSONLocked(o, true)
	}
	s.mu.Unlock()
	if !ok {
		notFound(w, "order_id", id)
		return
	}
	writeRaw(w, http.StatusOK, body)
}

func (s *Server) handleCapture(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	key := idemKey(r, "capture:"+id)
	if s.replayed(w, key) {
		return
	}
	var ignored map[string]any
	if !readJSON(w, r, &ignored, true) {
		return
	}
	s.mu.Lock()
	o, ok := s.orders[id]
	switch {
	case !ok:
		s.mu.Unlock()
		notFound(w, "order_id", id)
		return
	case o.Status == "COMPLETED":
		s.mu.Unlock()
		unprocessable(w, "ORDER_ALREADY_CAPTURED", "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.")
		return
	case o.Status != "APPROVED":
		s.mu.Unlock()
		unprocessable(w, "ORDER_NOT_APPROVED", "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid payment_source in the request.")
		return
	case o.DeclineNext:
		// The payer must approve again with another funding source.
		o.DeclineNext, o.Status, o.Updated = false, "CREATED", s.now().UTC()
		s.mu.Unlock()
		unprocessable(w, "INSTRUMENT_DECLINED", "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.")
		return
	}
	now := s.now().UTC()
	c := &capture{
		ID: paypalID(17), OrderID: o.ID, Status: "COMPLETED", Amount: o.Amount, Minor: o.Minor,
		CustomID: o.CustomID, InvoiceID: o.InvoiceID, Created: now, Updated: now,
	}
	eventType, summary := "PAYMENT.CAPTURE.COMPLETED", "Payment completed"
	if s.holdReason != "" {
		c.Status, c.Reason = "PENDING", s.holdReason
		eventType, summary = "PAYMENT.CAPTURE.PENDING", "Payment pending"
	}
	s.captures[c.ID] = c
	o.Captures = append(o.Captures, c.ID)
	o.Status, o.Updated = "COMPLETED", now
	body := s.orderJSONLocked(o, true)
	s.storeLocked(key, http.StatusCreated, body)
	ev := s.newEventLocked(eventType, "capture",
		fmt.Sprintf("%s for %s %s", summary, o.Amount.Value, o.Amount.CurrencyCode), s.captureJSONLocked(c, captureWebhook))
	s.mu.Unlock()
	s.deliver(ev)
	writeRaw(w, http.StatusCreated, body)
}

func (s *Server) handleGetCapture(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	c, ok := s.captures[id]
	var body []byte
	if ok {
		body, _ = json.Marshal(s.captureJSONLocked(c, captureGet))
	}
	s.mu.Unlock()
	if !ok {
		notFound(w, "capture_id", id)
		return
	}
	writeRaw(w, http.StatusOK, body)
}

func (s *Server) handleRefund(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	key := idemKey(r, "refund:"+id)
	if s.replayed(w, key) {
		return
	}
	var req struct {
		Amount      *amount `json:"amount"`
		CustomID    string  `json:"custom_id"`
		InvoiceID   string  `json:"invoice_id"`
		NoteToPayer string  `json:"note_to_payer"`
	}
	if !readJSON(w, r, &req, true) {
		return
	}
	var minor int64
	if req.Amount != nil {
		var issue string
		if minor, issue = parseValue(req.Amount.Value, req.Amount.CurrencyCode); issue != "" {
			unprocessable(w, issue, "The refund amount is not acceptable.")
			return
		}
	}
	s.mu.Lock()
	rf, status, issue := s.refundLocked(id, minor, req.Amount)
	var body []byte
	var ev *event
	if issue == "" {
		rf.CustomID, rf.InvoiceID, rf.NoteToPayer = req.CustomID, req.InvoiceID, req.NoteToPayer
		body, _ = json.Marshal(s.refundJSONLocked(rf))
		s.storeLocked(key, http.StatusCreated, body)
		ev = s.refundEventLocked(rf)
	}
	s.mu.Unlock()
	switch {
	case status == http.StatusNotFound:
		notFound(w, "capture_id", id)
	case issue != "":
		unprocessable(w, issue, "The capture cannot be refunded as requested.")
	default:
		s.deliver(ev)
		writeRaw(w, http.StatusCreated, body)
	}
}

// refundLocked refunds minor (0 = the rest) of capture id.
func (s *Server) refundLocked(id string, minor int64, amt *amount) (*refund, int, string) {
	c, ok := s.captures[id]
	if !ok {
		return nil, http.StatusNotFound, "INVALID_RESOURCE_ID"
	}
	left := c.Minor - c.RefundedMinor
	switch {
	case c.Status == "REFUNDED" || left <= 0:
		return nil, http.StatusUnprocessableEntity, "CAPTURE_FULLY_REFUNDED"
	case c.Status != "COMPLETED" && c.Status != "PARTIALLY_REFUNDED":
		return nil, http.StatusUnprocessableEntity, "REFUND_NOT_ALLOWED"
	case amt != nil && amt.CurrencyCode != c.Amount.CurrencyCode:
		return nil, http.StatusUnprocessableEntity, "CURRENCY_MISMATCH"
	case minor > left:
		return nil, http.StatusUnprocessableEntity, "REFUND_AMOUNT_EXCEEDED"
	}
	if minor == 0 {
		minor = left
	}
	now := s.now().UTC()
	rf := &refund{
		ID: paypalID(17), CaptureID: c.ID, Status: "COMPLETED",
		// A refund has its own custom_id/invoice_id (from the refund
		// request), never the capture's: the "up" link leads to the capture.
		Amount:  amount{CurrencyCode: c.Amount.CurrencyCode, Value: formatValue(minor, c.Amount.CurrencyCode)},
		Created: now,
	}
	s.refunds[rf.ID] = rf
	s.persist.MarkDirty()
	c.RefundedMinor += minor
	c.Status, c.Updated = "PARTIALLY_REFUNDED", now
	if c.RefundedMinor >= c.Minor {
		c.Status = "REFUNDED"
	}
	return rf, http.StatusCreated, ""
}

func (s *Server) handleGetRefund(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	rf, ok := s.refunds[id]
	var body []byte
	if ok {
		body, _ = json.Marshal(s.refundJSONLocked(rf))
	}
	s.mu.Unlock()
	if !ok {
		notFound(w, "refund_id", id)
		return
	}
	writeRaw(w, http.StatusOK, body)
}

// Representations.

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (s *Server) orderJSONLocked(o *order, full bool) []byte {
	base := s.publicURL
	links := []link{{Href: base + "/v2/checkout/orders/" + o.ID, Rel: "self", Method: "GET"}}
	if o.Status == "CREATED" || o.Status == "PAYER_ACTION_REQUIRED" {
		rel := "approve"
		if o.PayerAction {
			rel = "payer-action"
		}
		links = append(links,
			link{Href: base + "/checkoutnow?token=" + o.ID, Rel: rel, Method: "GET"},
			link{Href: base + "/v2/checkout/orders/" + o.ID, Rel: "update", Method: "PATCH"},
			link{Href: base + "/v2/checkout/orders/" + o.ID + "/capture", Rel: "capture", Method: "POST"})
	} else if o.Status == "APPROVED" {
		links = append(links, link{Href: base + "/v2/checkout/orders/" + o.ID + "/capture", Rel: "capture", Method: "POST"})
	}
	if !full {
		b, _ := json.Marshal(map[string]any{"id": o.ID, "status": o.Status, "links": links})
		return b
	}
	pu := map[string]any{
		"reference_id": o.ReferenceID,
		"amount":       o.Amount,
		"payee":        map[string]string{"email_address": "merchant@example.com", "merchant_id": "SIMMERCHANT01"},
	}
	if o.CustomID != "" {
		pu["custom_id"] = o.CustomID
	}
	if o.InvoiceID != "" {
		pu["invoice_id"] = o.InvoiceID
	}
	if len(o.Captures) > 0 {
		var caps []map[string]any
		for _, id := range o.Captures {
			caps = append(caps, s.captureJSONLocked(s.captures[id], captureInOrder))
		}
		pu["payments"] = map[string]any{"captures": caps}
	}
	m := map[string]any{
		"id": o.ID, "intent": o.Intent, "status": o.Status,
		"purchase_units": []any{pu},
		"create_time":    ts(o.Created), "update_time": ts(o.Updated), "links": links,
	}
	if o.PayerAction {
		m["payment_source"] = map[string]any{"paypal": map[string]any{}}
	}
	if o.PayerID != "" {
		m["payer"] = map[string]any{
			"name":          map[string]string{"given_name": "Sim", "surname": "Buyer"},
			"email_address": "buyer@example.com", "payer_id": o.PayerID,
		}
		if o.PayerAction {
			m["payment_source"] = map[string]any{"paypal": map[string]any{"email_address": "buyer@example.com", "account_id": o.PayerID, "account_status": "VERIFIED"}}
		}
	}
	b, _ := json.Marshal(m)
	return b
}

// Where a capture is rendered.
type captureView int

const (
	captureInOrder captureView = iota // purchase_units[].payments.captures[]
	captureWebhook                    // a PAYMENT.CAPTURE.* resource
	captureGet                        // GET /v2/payments/captures/{id}
)

// captureJSONLocked renders c. Webhook resources and GET answers carry
// supplementary_data, except PENDING webhook resources, which (as in
// PayPal's PAYMENT.CAPTURE.PENDING sample) carry neither it nor custom_id:
// the "up" link names the order.
func (s *Server) captureJSONLocked(c *capture, view captureView) map[string]any {
	bare := view == captureWebhook && c.Status == "PENDING"
	base := s.publicURL
	fee := c.Minor*349/10000 + 49
	if fee > c.Minor {
		fee = c.Minor
	}
	cur := c.Amount.CurrencyCode
	m := map[string]any{
		"id": c.ID, "status": c.Status, "amount": c.Amount, "final_capture": true,
		"seller_protection": map[string]any{"status": "ELIGIBLE", "dispute_categories": []string{"ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"}},
		"create_time":       ts(c.Created), "update_time": ts(c.Updated),
		"links": []link{
			{Href: base + "/v2/payments/captures/" + c.ID, Rel: "self", Method: "GET"},
			{Href: base + "/v2/payments/captures/" + c.ID + "/refund", Rel: "refund", Method: "POST"},
			{Href: base + "/v2/checkout/orders/" + c.OrderID, Rel: "up", Method: "GET"},
		},
	}
	if !bare {
		// PayPal has taken no fee of money it still holds.
		m["seller_receivable_breakdown"] = map[string]any{
			"gross_amount": c.Amount,
			"paypal_fee":   amount{cur, formatValue(fee, cur)},
			"net_amount":   amount{cur, formatValue(c.Minor-fee, cur)},
		}
	} else {
		m["seller_protection"] = map[string]any{"status": "NOT_ELIGIBLE"}
	}
	if c.CustomID != "" && !bare {
		m["custom_id"] = c.CustomID
	}
	if c.InvoiceID != "" && !bare {
		m["invoice_id"] = c.InvoiceID
	}
	if c.Reason != "" {
		m["status_details"] = map[string]string{"reason": c.Reason}
	}
	if view != captureInOrder && !bare {
		m["supplementary_data"] = map[string]any{"related_ids": map[string]string{"order_id": c.OrderID}}
	}
	return m
}

func (s *Server) refundJSONLocked(r *refund) map[string]any {
	base := s.publicURL
	cur := r.Amount.CurrencyCode
	refunded := int64(0)
	if c := s.captures[r.CaptureID]; c != nil {
		refunded = c.RefundedMinor
	}
	m := map[string]any{
		"id": r.ID, "status": r.Status, "amount": r.Amount,
		"seller_payable_breakdown": map[string]any{"gross_amount": r.Amount, "paypal_fee": amount{cur, formatValue(0, cur)},
			"net_amount": r.Amount, "total_refunded_amount": amount{cur, formatValue(refunded, cur)}},
		"create_time": ts(r.Created), "update_time": ts(r.Created),
		"links": []link{
			{Href: base + "/v2/payments/refunds/" + r.ID, Rel: "self", Method: "GET"},
			{Href: base + "/v2/payments/captures/" + r.CaptureID, Rel: "up", Method: "GET"},
		},
	}
	if r.CustomID != "" {
		m["custom_id"] = r.CustomID
	}
	if r.InvoiceID != "" {
		m["invoice_id"] = r.InvoiceID
	}
	if r.NoteToPayer != "" {
		m["note_to_payer"] = r.NoteToPayer
	}
	return m
}

func (s *Server) handleCert(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(s.CertURL(), "/"+r.PathValue("name")) {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/x-pem-file")
	w.Write(s.certPEM)
	if s.opts.FullCertChain {
		w.Write(s.chainPEM)
	}
}
