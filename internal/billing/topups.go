package billing

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// TopupStarted is the answer to POST /api/billing/topups.
type TopupStarted struct {
	OrderID     string `json:"orderId"`
	ApproveURL  string `json:"approveUrl"`
	AmountMinor int64  `json:"amountMinor"`
}

// CaptureResult is the answer to POST /api/billing/topups/{orderId}/capture.
type CaptureResult struct {
	Status       string `json:"status"`
	Credited     bool   `json:"credited"`
	BalanceMinor int64  `json:"balanceMinor"`
}

func randomID(prefix string) string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// ParseAmount parses a top-up amount ("25.00") and checks the bounds.
func (s *Service) ParseAmount(ctx context.Context, amount string) (int64, error) {
	s = s.Effective(ctx)
	minor, err := config.ParseMoney(amount)
	if err != nil {
		return 0, panel.Invalid(map[string]string{"amount": "Enter an amount like 25.00."})
	}
	if minor < s.TopupMinMinor || minor > s.TopupMaxMinor {
		return 0, panel.Invalid(map[string]string{"amount": fmt.Sprintf("Enter between %s and %s.",
			config.FormatMoney(s.TopupMinMinor), config.FormatMoney(s.TopupMaxMinor))})
	}
	return minor, nil
}

// StartTopup opens a PayPal order for amountMinor. The top-up is stored
// before PayPal hears of it, so any capture or webhook maps back to it.
func (s *Service) StartTopup(ctx context.Context, userID string, amountMinor int64) (*TopupStarted, error) {
	return s.StartTopupOnce(ctx, userID, amountMinor, "", "")
}

// returnPath is a page of the panel PayPal may send the payer back to: a
// plain absolute path of our own (no host, query, "//" or dot segments).
var returnPath = regexp.MustCompile(`^(/[a-z0-9][a-z0-9-]*)+$|^/$`)

// ValidReturnPath reports whether p may be a top-up's return page.
func ValidReturnPath(p string) bool {
	return len(p) <= 100 && returnPath.MatchString(p)
}

// maxIdempotencyKey bounds an Idempotency-Key header.
const maxIdempotencyKey = 200

// StartTopupOnce is StartTopup once per Idempotency-Key (when key is not
// empty): the same key and amount answer the same top-up and PayPal order;
// the same key with another amount is EIDEMPOTENCYMISMATCH (422).
// PayPal sends the payer back to returnTo (a panel path such as /deploy,
// where the payment started; empty: /billing), which finishes the capture.
func (s *Service) StartTopupOnce(ctx context.Context, userID string, amountMinor int64, key, returnTo string) (*TopupStarted, error) {
	return s.StartTopupWith(ctx, userID, amountMinor, key, returnTo, "")
}

// StartTopupWith is StartTopupOnce with a promo code whose bonus is
// credited with the payment (checked now, redeemed at the credit).
func (s *Service) StartTopupWith(ctx context.Context, userID string, amountMinor int64, key, returnTo, coupon string) (*TopupStarted, error) {
	s = s.Effective(ctx)
	if amountMinor < s.TopupMinMinor || amountMinor > s.TopupMaxMinor {
		return nil, panel.Invalid(map[string]string{"amount": "The amount is outside the allowed range."})
	}
	if len(key) > maxIdempotencyKey {
		return nil, panel.Invalid(map[string]string{"Idempotency-Key": "Send an Idempotency-Key header of at most 200 characters."})
	}
	if returnTo == "" {
		returnTo = "/billing"
	}
	if !ValidReturnPath(returnTo) {
		return nil, panel.Invalid(map[string]string{"returnTo": "Return to a page of the panel, such as /deploy."})
	}
	t := &panel.Topup{ID: randomID("tp_"), UserID: userID, AmountMinor: amountMinor, Currency: s.Currency, CreatedAt: s.now()}
	if coupon != "" {
		p, err := s.PreviewCoupon(ctx, userID, coupon, CouponCheck{On: CouponOnTopup, AmountMinor: amountMinor})
		if err != nil {
			return nil, err
		}
		t.Coupon = p.Code
	}
	if key != "" {
		req := fmt.Sprintf("topup|%d|%s", amountMinor, s.Currency)
		if t.Coupon != "" {
			req += "|" + t.Coupon
		}
		sum := sha256.Sum256([]byte(req))
		bound, err := s.Store.ClaimTopupKey(ctx, userID, key, hex.EncodeToString(sum[:]), t.ID)
		if err != nil {
			return nil, err
		}
		t.ID = bound // a replay carries on with the first request's top-up
	}
	err := s.Store.CreateTopup(ctx, t)
	if isCode(err, panel.ECONFLICT) && key != "" {
		// A replay: the first request stored it. Finish what it began; the
		// PayPal-Request-Id below makes PayPal answer the same order.
		if t, err = s.Store.Topup(ctx, t.ID); err == nil && t.UserID != userID {
			err = panel.NotFound("top-up")
		}
	}
	if err != nil {
		return nil, err
	}
	// PayPal adds token=<orderId> to both URLs; topup= names our id.
	ret := s.PublicURL + returnTo + "?topup=" + url.QueryEscape(t.ID)
	cancel := s.PublicURL + returnTo + "?topupCancelled=" + url.QueryEscape(t.ID)
	o, err := s.Payments.CreateOrder(ctx, t.AmountMinor, t.Currency, t.ID, ret, cancel, "order-"+t.ID)
	if err != nil {
		return nil, err
	}
	if err := s.Store.SetTopupOrder(ctx, t.ID, o.ID); err != nil {
		return nil, err
	}
	return &TopupStarted{OrderID: o.ID, ApproveURL: o.ApproveURL, AmountMinor: t.AmountMinor}, nil
}

// topupFor finds the top-up of a PayPal order id or of our own id.
func (s *Service) topupFor(ctx context.Context, id string) (*panel.Topup, error) {
	if strings.HasPrefix(id, "tp_") {
		return s.Store.Topup(ctx, id)
	}
	return s.Store.TopupByOrder(ctx, id)
}

// CaptureTopup finishes a top-up when the payer is back: it captures the
// order (or finds the earlier capture) and credits the wallet once. id is
// the PayPal order id (or our top-up id); it must belong to userID.
func (s *Service) CaptureTopup(ctx context.Context, userID, id string) (*CaptureResult, error) {
	t, err := s.topupFor(ctx, id)
	if err != nil || t.UserID != userID {
		return nil, panel.NotFound("top-up")
	}
	status, credited, err := s.capture(ctx, t)
	if err != nil {
		return nil, err
	}
	b, err := s.Store.Balance(ctx, userID)
	if err != nil {
		return nil, err
	}
	return &CaptureResult{Status: status, Credited: credited, BalanceMinor: b.BalanceMinor}, nil
}

// capture captures t's order unless it is settled, and credits what PayPal
// captured. It reports the capture status and whether t is credited.
func (s *Service) capture(ctx context.Context, t *panel.Topup) (string, bool, error) {
	switch t.Status {
	case panel.TopupCredited:
		return "COMPLETED", true, nil
	case panel.TopupDenied:
		return "DECLINED", false, nil
	}
	if t.OrderID == "" {
		return "", false, panel.Errorf(panel.ECONFLICT, "This top-up has no PayPal order.")
	}
	o, err := s.Payments.CaptureOrder(ctx, t.OrderID, "capture-"+t.ID)
	if err != nil {
		return "", false, err
	}
	status, credited := o.Status, false
	for i := range o.Captures {
		c := &o.Captures[i]
		if c.OrderID == "" {
			c.OrderID = o.ID
		}
		status = c.Status
		ok, err := s.settleCapture(ctx, t, c)
		if err != nil {
			return "", false, err
		}
		credited = credited || ok
	}
	return status, credited, nil
}

// errCaptureMismatch marks a capture refused because it is not exactly
// its top-up's payment; retrying cannot change that.
var errCaptureMismatch = errors.New("billing: capture does not match its top-up")

// checkCapture refuses (and logs) a capture that is not t's: it must be
// for t's own PayPal order, a custom_id (PENDING captures may have none)
// must name t, and, when it is to be credited, its currency and amount
// must be t's, in the wallet's currency.
func (s *Service) checkCapture(ctx context.Context, t *panel.Topup, c *panel.PaymentCapture, credit bool) error {
	var why string
	switch {
	case c.CustomID != "" && c.CustomID != t.ID:
		why = "custom_id does not name the top-up"
	case c.OrderID == "" || c.OrderID != t.OrderID:
		why = "the capture is not for the top-up's PayPal order"
	case credit && (c.Currency != t.Currency || t.Currency != s.Currency):
		why = "currency differs"
	case credit && c.AmountMinor != t.AmountMinor:
		why = "amount differs"
	default:
		return nil
	}
	s.log(ctx).Error("billing: capture refused, not credited", "why", why, "topup", t.ID, "user", t.UserID,
		"capture", c.ID, "status", c.Status, "customId", c.CustomID, "order", c.OrderID, "amountMinor", c.AmountMinor,
		"currency", c.Currency, "topupMinor", t.AmountMinor, "topupCurrency", t.Currency)
	return &panel.Error{Code: panel.ECONFLICT, Message: "This payment does not match the top-up; support has the details.",
		Err: fmt.Errorf("%w: capture %s, top-up %s: %s", errCaptureMismatch, c.ID, t.ID, why)}
}

// settleCapture applies a capture's state to its top-up: credit once when
// completed, mark pending or denied otherwise. It reports whether the
// top-up is credited. A capture that is not t's is refused (ECONFLICT
// wrapping errCaptureMismatch).
func (s *Service) settleCapture(ctx context.Context, t *panel.Topup, c *panel.PaymentCapture) (bool, error) {
	switch c.Status {
	case "COMPLETED", "PARTIALLY_REFUNDED", "REFUNDED":
		// Refunded captures were completed first; refunds debit separately.
		if err := s.checkCapture(ctx, t, c, true); err != nil {
			return false, err
		}
		// Keyed by the capture, like the credit's idempotency record.
		amount := Money(c.AmountMinor, t.Currency)
		notify, err := s.notes(ctx, t.UserID, panel.NotifyTopupCredited, c.ID,
			map[string]string{"amount": amount, panel.BalanceFact: "", "reference": c.ID},
			panel.NotifyStaffTopup, map[string]string{"amount": amount})
		if err != nil {
			return false, err
		}
		_, applied, err := s.Store.CreditTopup(ctx, t.ID, c.ID, panel.Posting{UserID: t.UserID, Type: panel.EntryTopup,
			AmountMinor: c.AmountMinor, Currency: t.Currency, Description: "PayPal top-up", Ref: c.ID, At: s.now(),
			Notify: notify})
		if err != nil {
			return false, err
		}
		if applied {
			s.log(ctx).Info("billing: top-up credited", "user", t.UserID, "topup", t.ID, "capture", c.ID, "amountMinor", c.AmountMinor)
			s.Reconcile(ctx, t.UserID, nil)
		}
		cur, err := s.Store.Topup(ctx, t.ID)
		if err != nil {
			return false, err
		}
		if cur.Status == panel.TopupCredited {
			s.topupBonus(ctx, cur)
		}
		return cur.Status == panel.TopupCredited, nil
	case "PENDING":
		if err := s.checkCapture(ctx, t, c, false); err != nil {
			return false, err
		}
		err := s.Store.MarkTopup(ctx, t.ID, panel.TopupPending, c.ID)
		if isCode(err, panel.ECONFLICT) {
			return true, nil // credited meanwhile
		}
		return false, err
	case "DECLINED", "FAILED":
		if err := s.checkCapture(ctx, t, c, false); err != nil {
			return false, err
		}
		err := s.Store.MarkTopup(ctx, t.ID, panel.TopupDenied, c.ID)
		if isCode(err, panel.ECONFLICT) {
			return s.denyCredited(ctx, t.ID, c.ID)
		}
		return false, err
	}
	return false, nil
}

// denyCredited takes back what is left of a credited top-up whose capture
// PayPal denied after all.
func (s *Service) denyCredited(ctx context.Context, topupID, captureID string) (bool, error) {
	t, err := s.Store.Topup(ctx, topupID)
	if err != nil {
		return false, err
	}
	left := t.CreditedMinor - t.DebitedMinor
	if t.Status != panel.TopupCredited || left <= 0 {
		return false, nil
	}
	p := panel.Posting{UserID: t.UserID, Type: panel.EntryReversal,
		AmountMinor: -left, Currency: t.Currency, Description: "PayPal payment denied", Ref: captureID,
		IdemKey: panel.IdemCaptureDenied + captureID, At: s.now()}
	if p.Notify, err = s.debitNote(ctx, p); err != nil {
		return false, err
	}
	_, applied, err := s.Store.DebitTopup(ctx, t.ID, panel.TopupDenied, p)
	if err != nil {
		return false, err
	}
	if applied {
		s.Reconcile(ctx, t.UserID, nil)
	}
	return false, nil
}

// WebhookLease is how long one delivery may process an event before a
// redelivery may take over.
const WebhookLease = 30 * time.Second

// HandleWebhook verifies a PayPal delivery, stores the raw event once and
// processes it. A stored, processed event is acknowledged without being
// processed again; a failure is returned (so PayPal retries) and leaves the
// event re-processable.
func (s *Service) HandleWebhook(ctx context.Context, h http.Header, raw []byte) error {
	ev, err := s.Payments.VerifyWebhook(ctx, h, raw)
	if err != nil {
		return err
	}
	rec, claimed, err := s.Store.RecordWebhookEvent(ctx, ev.ID, ev.Type, raw, s.now(), WebhookLease)
	if err != nil {
		return err
	}
	if !claimed {
		if rec.Processed {
			return nil
		}
		return s.awaitProcessed(ctx, ev.ID)
	}
	perr := s.processEvent(ctx, ev)
	if perr != nil {
		s.log(ctx).Error("billing: webhook processing failed", "event", ev.ID, "type", ev.Type, "err", perr)
		s.webhookFailed(ctx, "paypal", ev.ID, perr)
	}
	s.logWebhook(ctx, ev, raw, perr, "")
	if err := s.Store.FinishWebhookEvent(ctx, ev.ID, s.now(), perr); err != nil {
		return err
	}
	if perr != nil {
		return &panel.Error{Code: panel.EUNAVAILABLE, Message: "The event could not be processed yet; retry.", Err: perr}
	}
	return nil
}

// awaitProcessed waits briefly for the delivery that holds an event to
// finish, so a concurrent duplicate is acknowledged when that succeeds and
// retried (5xx) when it does not.
func (s *Service) awaitProcessed(ctx context.Context, id string) error {
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		rec, err := s.Store.WebhookEvent(ctx, id)
		if err != nil {
			return err
		}
		if rec.Processed {
			return nil
		}
	}
	return &panel.Error{Code: panel.EUNAVAILABLE, Message: "The event is being processed; retry.", RetryAfter: 5}
}

// processEvent applies one verified event. A verified body is not proof:
// its signature covers a CRC32 of the body, which can be forged. So the
// body only names a capture, refund or order; what moves money is read
// from PayPal (GetCapture, GetRefund, CaptureOrder) and bound to the
// top-up's own order and capture. Events about payments billing does not
// know, or that PayPal does not confirm, are acknowledged and logged, not
// retried forever.
func (s *Service) processEvent(ctx context.Context, ev *panel.PaymentEvent) error {
	log := s.log(ctx).With("event", ev.ID, "type", ev.Type)
	switch ev.Kind {
	case panel.PaymentCaptureChanged:
		if ev.Capture == nil || ev.Capture.ID == "" {
			log.Error("billing: capture event without a capture resource; acknowledged")
			return nil
		}
		return s.settleConfirmedCapture(ctx, log, ev.Capture)
	case panel.PaymentRefunded, panel.PaymentReversed:
		if ev.Refund == nil || ev.Refund.ID == "" {
			log.Error("billing: refund event without a refund resource; acknowledged")
			return nil
		}
		return s.debitConfirmedRefund(ctx, log, ev.Kind, ev.Refund.ID)
	case panel.PaymentOrderApproved:
		if ev.Order == nil || ev.Order.ID == "" {
			log.Error("billing: order event without an order resource; acknowledged")
			return nil
		}
		// Only the order id is used: capturing t's own order is safe
		// whatever the body says, as PayPal refuses an unapproved order.
		t, err := s.Store.TopupByOrder(ctx, ev.Order.ID)
		if panel.ErrorCode(err) == panel.ENOTFOUND {
			log.Warn("billing: order event for an unknown top-up; acknowledged", "order", ev.Order.ID)
			return nil
		}
		if err != nil {
			return err
		}
		_, _, err = s.capture(ctx, t)
		if code := panel.ErrorCode(err); code == panel.EPAYMENTREQUIRED || code == panel.ECONFLICT || code == panel.EINVALID {
			// The payer must approve again, or PayPal refuses for good:
			// retrying this event cannot help.
			log.Warn("billing: capture after approval refused; acknowledged", "topup", t.ID, "err", err)
			return nil
		}
		return err
	default:
		log.Info("billing: webhook event stored and acknowledged")
		return nil
	}
}

// refused logs why an event moves no money and acknowledges it, or
// returns err when it may succeed later (PayPal unreachable, storage).
func refused(log *slog.Logger, err error, why string, args ...any) error {
	if code := panel.ErrorCode(err); err != nil && code != panel.ENOTFOUND && code != panel.EINVALID {
		return err
	}
	log.Error("billing: webhook refused, no money moved: "+why, append(args, "err", err)...)
	return nil
}

// settleConfirmedCapture reads the capture the event names from PayPal and
// applies what PayPal says (status, amount, currency) to the top-up of its
// order. An event whose own order disagrees with PayPal's moves nothing:
// either the body was altered or the payment is not what it claims.
func (s *Service) settleConfirmedCapture(ctx context.Context, log *slog.Logger, claimed *panel.PaymentCapture) error {
	c, err := s.Payments.GetCapture(ctx, claimed.ID)
	if err != nil {
		return refused(log, err, "PayPal does not confirm the capture", "capture", claimed.ID)
	}
	if claimed.OrderID != "" && claimed.OrderID != c.OrderID {
		return refused(log, nil, "the event's order is not the capture's order", "capture", c.ID,
			"eventOrder", claimed.OrderID, "order", c.OrderID)
	}
	t, err := s.topupOfCapture(ctx, c)
	if err != nil {
		return refused(log, err, "no top-up has this capture's order", "capture", c.ID, "order", c.OrderID, "customId", c.CustomID)
	}
	_, err = s.settleCapture(ctx, t, c)
	if errors.Is(err, errCaptureMismatch) {
		return nil // refused and logged: redelivery cannot help
	}
	return err
}

// topupOfCapture finds the top-up of a capture PayPal confirmed: by the
// capture pointer, else by its order (custom_id may be missing on PENDING
// captures). checkCapture then binds the capture to that top-up's order.
func (s *Service) topupOfCapture(ctx context.Context, c *panel.PaymentCapture) (*panel.Topup, error) {
	t, err := s.Store.TopupByCapture(ctx, c.ID)
	if panel.ErrorCode(err) != panel.ENOTFOUND {
		return t, err
	}
	if c.OrderID == "" {
		return nil, panel.NotFound("top-up")
	}
	return s.Store.TopupByOrder(ctx, c.OrderID)
}

// debitConfirmedRefund reads a refund (or reversal) from PayPal and debits
// what PayPal says was refunded from the top-up whose capture it refunds.
func (s *Service) debitConfirmedRefund(ctx context.Context, log *slog.Logger, kind panel.PaymentEventKind, refundID string) error {
	r, err := s.Payments.GetRefund(ctx, refundID)
	if err != nil {
		return refused(log, err, "PayPal does not confirm the refund", "refund", refundID)
	}
	log = log.With("refund", r.ID, "capture", r.CaptureID, "status", r.Status, "amountMinor", r.AmountMinor, "currency", r.Currency)
	switch {
	case r.CaptureID == "":
		return refused(log, nil, "the refund names no capture")
	case r.Status == "FAILED" || r.Status == "CANCELLED":
		// PENDING refunds are debited: the money is already held for the
		// payer, and a later COMPLETED delivery is the same refund id.
		log.Info("billing: refund did not happen; nothing to debit")
		return nil
	case r.AmountMinor <= 0:
		return refused(log, nil, "the refund has no amount")
	}
	t, err := s.Store.TopupByCapture(ctx, r.CaptureID)
	if panel.ErrorCode(err) == panel.ENOTFOUND {
		// Credited before captures had pointers: ask PayPal for the capture.
		var c *panel.PaymentCapture
		if c, err = s.Payments.GetCapture(ctx, r.CaptureID); err == nil {
			t, err = s.topupOfCapture(ctx, c)
		}
	}
	if err != nil {
		return refused(log, err, "no top-up has the refunded capture")
	}
	if t.Status != panel.TopupCredited && t.Status != panel.TopupDenied {
		// The credit has not been applied yet (events out of order):
		// fail so PayPal delivers this again later.
		return fmt.Errorf("billing: %s for top-up %s that is %s", kind, t.ID, t.Status)
	}
	if r.CaptureID != t.CaptureID || r.Currency != t.Currency {
		return refused(log, nil, "not this top-up's capture or currency", "topup", t.ID, "user", t.UserID,
			"topupCapture", t.CaptureID, "topupCurrency", t.Currency)
	}
	return s.debitRefund(ctx, log, kind, t, r, "")
}

// debitRefund debits refund r of top-up t once: its idempotency key is the
// refund's id, whether the webhook or the panel's own refund call gets
// here first, so the two never debit twice.
func (s *Service) debitRefund(ctx context.Context, log *slog.Logger, kind panel.PaymentEventKind, t *panel.Topup, r *panel.PaymentRefund, actor string) error {
	typ, desc, idem := panel.EntryRefund, "PayPal refund", panel.IdemRefund
	if kind == panel.PaymentReversed {
		typ, desc, idem = panel.EntryReversal, "PayPal payment reversed", panel.IdemReversal
	}
	return s.debitTopup(ctx, log, t, panel.Posting{UserID: t.UserID, Type: typ, AmountMinor: -r.AmountMinor,
		Currency: t.Currency, Description: desc, Ref: r.ID, IdemKey: idem + r.ID, Actor: actor, At: s.now()})
}

// Refunded is the outcome of an administrator's refund.
type Refunded struct {
	RefundID    string `json:"refundId"`
	Status      string `json:"status"`
	AmountMinor int64  `json:"amountMinor"`
	// Topup is the top-up after the debit.
	TopupID       string `json:"topupId"`
	DebitedMinor  int64  `json:"debitedMinor"`
	CreditedMinor int64  `json:"creditedMinor"`
}

// RefundTopup refunds amountMinor (0: all that is left) of a credited
// top-up through PayPal and debits the wallet. key (the administrator's
// Idempotency-Key) becomes PayPal's request id, so a retry answers the same
// refund; the debit is keyed by PayPal's refund id, shared with the
// PAYMENT.CAPTURE.REFUNDED webhook, so it happens once whichever is first.
func (s *Service) RefundTopup(ctx context.Context, actor, topupID string, amountMinor int64, key string) (*Refunded, error) {
	if s.Payments == nil {
		return nil, panel.Errorf(panel.EUNAVAILABLE, "PayPal is not configured.")
	}
	if key == "" || len(key) > 64 {
		return nil, panel.Invalid(map[string]string{"Idempotency-Key": "Send an Idempotency-Key header of 1 to 64 characters."})
	}
	t, err := s.Store.Topup(ctx, topupID)
	if err != nil {
		return nil, err
	}
	left := t.CreditedMinor - t.DebitedMinor
	switch {
	case t.Status != panel.TopupCredited || t.CaptureID == "":
		return nil, panel.Errorf(panel.ECONFLICT, "Only a credited top-up can be refunded.")
	case amountMinor < 0 || amountMinor > left:
		return nil, panel.Invalid(map[string]string{"amountMinor": "Enter at most " + config.FormatMoney(left) + "."})
	case left <= 0:
		return nil, panel.Errorf(panel.ECONFLICT, "This top-up is refunded in full already.")
	}
	if amountMinor == 0 {
		amountMinor = left
	}
	r, err := s.Payments.RefundCapture(ctx, t.CaptureID, amountMinor, t.Currency, "refund-"+t.ID+"-"+key)
	if err != nil {
		return nil, err
	}
	log := s.log(ctx).With("refund", r.ID, "topup", t.ID, "admin", actor)
	if r.CaptureID == "" {
		r.CaptureID = t.CaptureID
	}
	if r.Status != "FAILED" && r.Status != "CANCELLED" {
		if err := s.debitRefund(ctx, log, panel.PaymentRefunded, t, r, actor); err != nil {
			return nil, err
		}
	}
	if t, err = s.Store.Topup(ctx, t.ID); err != nil {
		return nil, err
	}
	return &Refunded{RefundID: r.ID, Status: r.Status, AmountMinor: r.AmountMinor, TopupID: t.ID,
		DebitedMinor: t.DebitedMinor, CreditedMinor: t.CreditedMinor}, nil
}

// debitTopup debits p (a refund or reversal of t) once per p.IdemKey, at
// most what is left of t's credit, so partial refunds add up to no more
// than was credited. When a concurrent debit of the same top-up wins, t is
// read again and what is left is debited; a conflict that persists is
// returned, so the event is delivered again.
func (s *Service) debitTopup(ctx context.Context, log *slog.Logger, t *panel.Topup, p panel.Posting) error {
	want := -p.AmountMinor
	for attempt := 0; ; attempt++ {
		amount := min(want, t.CreditedMinor-t.DebitedMinor)
		if amount <= 0 {
			log.Info("billing: nothing left to debit", "topup", t.ID)
			return nil
		}
		p.AmountMinor = -amount
		var err error
		if p.Notify, err = s.debitNote(ctx, p); err != nil {
			return err
		}
		_, applied, err := s.Store.DebitTopup(ctx, t.ID, "", p)
		if isCode(err, panel.ECONFLICT) && attempt < 3 {
			if t, err = s.Store.Topup(ctx, t.ID); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if applied {
			log.Info("billing: top-up debited", "user", t.UserID, "topup", t.ID, "amountMinor", -amount)
			s.Reconcile(ctx, t.UserID, nil)
		}
		return nil
	}
}

// debitNote is the refund-debited message of a refund, reversal or denial
// p, keyed by p's idempotency key.
func (s *Service) debitNote(ctx context.Context, p panel.Posting) ([]panel.Notification, error) {
	n, ok, err := s.note(ctx, p.UserID, panel.NotifyRefundDebited, p.IdemKey, map[string]string{
		"amount": Money(-p.AmountMinor, p.Currency), panel.BalanceFact: "", "reason": p.Description})
	if err != nil || !ok {
		return nil, err
	}
	return []panel.Notification{n}, nil
}
