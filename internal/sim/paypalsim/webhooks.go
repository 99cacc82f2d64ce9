package paypalsim

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// event is a webhook event; its body never changes, so resends and
// duplicates carry identical bytes.
type event struct {
	ID, Type   string
	ResourceID string // the capture, refund or order the event is about
	Body       []byte
}

// Delivery records one delivery attempt.
type Delivery struct {
	EventID   string
	EventType string
	Attempt   int // 1-based within one send
	Header    http.Header
	Body      []byte
	Status    int    // receiver's status; 0 when the request failed
	Err       string // transport error
	Response  string // start of the receiver's answer
	At        time.Time
}

// OK reports whether the receiver answered 2xx.
func (d Delivery) OK() bool { return d.Status >= 200 && d.Status <= 299 }

// newEventLocked builds and stores an event envelope around resource.
func (s *Server) newEventLocked(eventType, resourceType, summary string, resource any) *event {
	id := "WH-" + paypalID(17) + "-" + paypalID(17)
	body, _ := json.Marshal(map[string]any{
		"id": id, "event_version": "1.0", "create_time": ts(s.now()),
		"resource_type": resourceType, "resource_version": "2.0",
		"event_type": eventType, "summary": summary, "resource": resource,
		"links": []map[string]string{
			{"href": s.publicURL + "/v1/notifications/webhooks-events/" + id, "rel": "self", "method": "GET", "encType": "application/json"},
			{"href": s.publicURL + "/v1/notifications/webhooks-events/" + id + "/resend", "rel": "resend", "method": "POST", "encType": "application/json"},
		},
	})
	ev := &event{ID: id, Type: eventType, Body: body}
	if m, ok := resource.(map[string]any); ok {
		ev.ResourceID, _ = m["id"].(string)
	}
	s.events[id] = ev
	s.eventOrder = append(s.eventOrder, id)
	s.persist.MarkDirty() // every state change that matters comes with an event
	return ev
}

func (s *Server) refundEventLocked(rf *refund) *event {
	return s.newEventLocked("PAYMENT.CAPTURE.REFUNDED", "refund",
		fmt.Sprintf("A %s %s capture payment was refunded", rf.Amount.Value, rf.Amount.CurrencyCode), s.refundJSONLocked(rf))
}

// Sign returns the headers PayPal would send with body: a fresh
// transmission id and time, signed with the simulator's key over
// id|time|webhookID|crc32(body).
func (s *Server) Sign(body []byte) http.Header {
	id := uuid()
	t := s.now().UTC().Format(time.RFC3339)
	msg := fmt.Sprintf("%s|%s|%s|%d", id, t, s.opts.WebhookID, crc32.ChecksumIEEE(body))
	sum := sha256.Sum256([]byte(msg))
	sig, err := rsa.SignPKCS1v15(nil, s.key, crypto.SHA256, sum[:])
	if err != nil {
		panic(fmt.Sprintf("paypalsim: sign: %v", err))
	}
	return http.Header{
		"Content-Type":             {"application/json"},
		"User-Agent":               {"PayPal/AUHD-214.0-58843256"},
		"Paypal-Transmission-Id":   {id},
		"Paypal-Transmission-Time": {t},
		"Paypal-Transmission-Sig":  {base64.StdEncoding.EncodeToString(sig)},
		"Paypal-Cert-Url":          {s.CertURL()},
		"Paypal-Auth-Algo":         {"SHA256withRSA"},
	}
}

// SignedDelivery builds a signed event of eventType around resource
// without sending it, for tests that post, alter or replay it themselves.
// The event is stored, so ResendEvent can send it too.
func (s *Server) SignedDelivery(eventType string, resource any) (http.Header, []byte) {
	rt := "capture"
	switch {
	case strings.HasPrefix(eventType, "CHECKOUT.ORDER."):
		rt = "checkout-order"
	case eventType == "PAYMENT.CAPTURE.REFUNDED" || eventType == "PAYMENT.CAPTURE.REVERSED":
		rt = "refund"
	}
	s.mu.Lock()
	ev := s.newEventLocked(eventType, rt, "Simulated "+eventType, resource)
	s.mu.Unlock()
	return s.Sign(ev.Body), ev.Body
}

// deliver sends ev to the webhook URL in the background, plus any
// configured duplicates.
func (s *Server) deliver(ev *event) { s.send(ev, 1+s.opts.DuplicateDeliveries) }

func (s *Server) send(ev *event, copies int) {
	if ev == nil || s.opts.WebhookURL == "" || s.ctx.Err() != nil {
		return
	}
	s.inflight(1)
	go func() {
		defer s.inflight(-1)
		for range copies {
			s.sendOnce(ev)
		}
	}()
}

// sendOnce delivers ev, retrying with backoff until a 2xx or MaxAttempts.
// Each attempt is signed afresh, as PayPal's retries are.
func (s *Server) sendOnce(ev *event) {
	wait := s.opts.RetryBackoff
	for attempt := 1; attempt <= s.opts.MaxAttempts; attempt++ {
		if attempt > 1 {
			select {
			case <-s.ctx.Done():
				return
			case <-time.After(wait):
			}
			wait *= 2
		}
		h := s.Sign(ev.Body)
		d := Delivery{EventID: ev.ID, EventType: ev.Type, Attempt: attempt, Header: h, Body: ev.Body, At: s.now()}
		req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, s.opts.WebhookURL, bytes.NewReader(ev.Body))
		if err != nil {
			d.Err = err.Error()
			s.record(d)
			return
		}
		req.Header = h
		resp, err := s.opts.HTTPClient.Do(req)
		if err != nil {
			d.Err = err.Error()
		} else {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
			resp.Body.Close()
			d.Status, d.Response = resp.StatusCode, string(b)
		}
		s.record(d)
		if d.OK() {
			return
		}
	}
}

func (s *Server) record(d Delivery) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliveries = append(s.deliveries, d)
}

// Deliveries returns every delivery attempt so far, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

// EventIDs returns the ids of all events created so far, oldest first.
func (s *Server) EventIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.eventOrder...)
}

// LastEvent returns the newest stored event about resourceID (a capture,
// refund or order id), signed afresh, for tests that deliver it themselves.
func (s *Server) LastEvent(resourceID string) (http.Header, []byte, error) {
	s.mu.Lock()
	var ev *event
	for i := len(s.eventOrder) - 1; i >= 0 && ev == nil; i-- {
		if e := s.events[s.eventOrder[i]]; e.ResourceID == resourceID {
			ev = e
		}
	}
	s.mu.Unlock()
	if ev == nil {
		return nil, nil, fmt.Errorf("paypalsim: no event about %s", resourceID)
	}
	return s.Sign(ev.Body), ev.Body, nil
}

// ResendEvent delivers a stored event again (same id and body), like the
// dashboard's "Resend".
func (s *Server) ResendEvent(eventID string) error {
	s.mu.Lock()
	ev, ok := s.events[eventID]
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("paypalsim: no event %s", eventID)
	}
	s.send(ev, 1)
	return nil
}

// Flush waits until no delivery is in flight, or ctx ends.
func (s *Server) Flush(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		s.idle.L.Lock()
		for s.busy > 0 {
			s.idle.Wait()
		}
		s.idle.L.Unlock()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// inflight counts deliveries in flight, waking Flush at zero.
func (s *Server) inflight(delta int) {
	s.idle.L.Lock()
	defer s.idle.L.Unlock()
	s.busy += delta
	if s.busy == 0 {
		s.idle.Broadcast()
	}
}

// deliveryState is embedded in Server.
type deliveryState struct {
	idleMu sync.Mutex
	idle   *sync.Cond
	busy   int
}

// Test hooks.

// Approve approves orderID as if the payer clicked Pay, and sends
// CHECKOUT.ORDER.APPROVED.
func (s *Server) Approve(orderID string) error {
	s.mu.Lock()
	o, ok := s.orders[orderID]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("paypalsim: no order %s", orderID)
	}
	if o.Status != "CREATED" && o.Status != "PAYER_ACTION_REQUIRED" {
		s.mu.Unlock()
		return fmt.Errorf("paypalsim: order %s is %s, not CREATED", orderID, o.Status)
	}
	o.Status, o.Updated = "APPROVED", s.now().UTC()
	if o.PayerID == "" {
		o.PayerID = paypalID(13)
	}
	var resource map[string]any
	json.Unmarshal(s.orderJSONLocked(o, true), &resource)
	ev := s.newEventLocked("CHECKOUT.ORDER.APPROVED", "checkout-order", "An order has been approved by buyer", resource)
	s.mu.Unlock()
	s.deliver(ev)
	return nil
}

// PayerID returns the payer id of an approved order.
func (s *Server) PayerID(orderID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orders[orderID]; ok {
		return o.PayerID
	}
	return ""
}

// DeclineNextCapture makes the next capture of orderID fail with 422
// INSTRUMENT_DECLINED and send the order back for approval.
func (s *Server) DeclineNextCapture(orderID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[orderID]
	if !ok {
		return fmt.Errorf("paypalsim: no order %s", orderID)
	}
	o.DeclineNext = true
	s.persist.MarkDirty()
	return nil
}

// HoldCaptures makes following captures PENDING with reason (for example
// PENDING_REVIEW) and send PAYMENT.CAPTURE.PENDING; "" restores COMPLETED.
// Settle a held capture with Complete or Deny.
func (s *Server) HoldCaptures(reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.holdReason = reason
	s.persist.MarkDirty()
}

// Complete settles a PENDING capture and sends PAYMENT.CAPTURE.COMPLETED.
func (s *Server) Complete(captureID string) error {
	return s.settle(captureID, "COMPLETED", "PAYMENT.CAPTURE.COMPLETED", "Payment completed")
}

// Deny declines a PENDING (or completed) capture and sends
// PAYMENT.CAPTURE.DENIED.
func (s *Server) Deny(captureID string) error {
	return s.settle(captureID, "DECLINED", "PAYMENT.CAPTURE.DENIED", "Payment denied")
}

func (s *Server) settle(captureID, status, eventType, summary string) error {
	s.mu.Lock()
	c, ok := s.captures[captureID]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("paypalsim: no capture %s", captureID)
	}
	if c.Status != "PENDING" && !(status == "DECLINED" && c.Status == "COMPLETED") {
		s.mu.Unlock()
		return fmt.Errorf("paypalsim: capture %s is %s", captureID, c.Status)
	}
	c.Status, c.Reason, c.Updated = status, "", s.now().UTC()
	ev := s.newEventLocked(eventType, "capture", fmt.Sprintf("%s for %s %s", summary, c.Amount.Value, c.Amount.CurrencyCode), s.captureJSONLocked(c, captureWebhook))
	s.mu.Unlock()
	s.deliver(ev)
	return nil
}

// Refund refunds amountMinor of captureID (0 = the rest) as if done in the
// PayPal dashboard, sends PAYMENT.CAPTURE.REFUNDED and returns the refund id.
func (s *Server) Refund(captureID string, amountMinor int64) (string, error) {
	s.mu.Lock()
	rf, _, issue := s.refundLocked(captureID, amountMinor, nil)
	if issue != "" {
		s.mu.Unlock()
		return "", fmt.Errorf("paypalsim: refund %s: %s", captureID, issue)
	}
	ev := s.refundEventLocked(rf)
	s.mu.Unlock()
	s.deliver(ev)
	return rf.ID, nil
}

// Reverse reverses what is left of captureID, as a chargeback does, returns the reversal's (refund) id and sends
// PAYMENT.CAPTURE.REVERSED. Its resource is a refund (resource_type
// "refund", note_to_payer "Payment reversed") whose "up" link leads to the
// capture, as in PayPal's sample event.
func (s *Server) Reverse(captureID string) (refundID string, err error) {
	s.mu.Lock()
	c, ok := s.captures[captureID]
	if !ok {
		s.mu.Unlock()
		return "", fmt.Errorf("paypalsim: no capture %s", captureID)
	}
	left := c.Minor - c.RefundedMinor
	if left <= 0 {
		s.mu.Unlock()
		return "", fmt.Errorf("paypalsim: capture %s has nothing left to reverse", captureID)
	}
	now := s.now().UTC()
	rf := &refund{
		ID: paypalID(17), CaptureID: c.ID, Status: "COMPLETED",
		Amount:  amount{CurrencyCode: c.Amount.CurrencyCode, Value: formatValue(left, c.Amount.CurrencyCode)},
		Created: now, NoteToPayer: "Payment reversed",
	}
	s.refunds[rf.ID] = rf
	c.RefundedMinor, c.Status, c.Updated = c.Minor, "REFUNDED", now
	ev := s.newEventLocked("PAYMENT.CAPTURE.REVERSED", "refund",
		fmt.Sprintf("A %s %s capture payment was reversed", rf.Amount.Value, rf.Amount.CurrencyCode), s.refundJSONLocked(rf))
	s.mu.Unlock()
	s.deliver(ev)
	return rf.ID, nil
}
