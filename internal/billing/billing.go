// Package billing is vfpanel's money domain: the wallet ledger, PayPal
// top-ups (confirmed by capture or by verified webhook), ordering and
// deleting servers, the hourly run that charges active servers, and
// monthly statements. It talks to storage, PayPal and VirtFusion only
// through the panel interfaces, so it never knows which adapter it has.
package billing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Service is the billing domain service. Set the fields, then use it; it is
// safe for concurrent use.
type Service struct {
	Store panel.LedgerStore
	// Coupons keeps promo codes; nil: codes are refused.
	Coupons panel.CouponStore
	// AutoTopups keeps auto top-up settings and Vault charges saved PayPal
	// wallets; either nil: auto top-up is unavailable.
	AutoTopups      panel.AutoTopupStore
	Vault           panel.PaymentVault
	AutoTopupWindow time.Duration    // 0: DefaultAutoTopupWindow
	Payments        panel.Payments   // nil when the function does not talk to PayPal
	Host            panel.ServerHost // nil when the function does not talk to VirtFusion
	// Changes changes packages and add-ons in VirtFusion; nil when the
	// function does not change servers.
	Changes panel.ServerChanges
	// Users finds whom to notify; nil queues no notifications.
	Users Recipients
	// Queue queues notifications of events without a write of their own
	// (billing run errors); nil queues none.
	Queue panel.NotificationQueue
	// Audit records dunning steps in customers' activity; nil records none.
	Audit panel.AuditLog
	// Dunning is the policy for customers who do not pay.
	Dunning DunningPolicy
	// Runs records each billing run's summary; nil records none (ops2).
	Runs panel.BillingRunStore
	// Webhooks logs PayPal deliveries for the operator console; nil logs
	// none (ops2).
	Webhooks panel.WebhookLog

	// Settings, when set, supply the top-up bounds, prepay hours and
	// dunning thresholds in force (administrators change them at run
	// time); the fields below are then only the fallback.
	Settings panel.SettingsSource
	// Invoicing keeps billing profiles and numbers invoices (issue 20,
	// item 9); nil: invoices are unnumbered, made out to the account name.
	Invoicing panel.InvoiceStore

	Currency         string
	TopupMinMinor    int64
	TopupMaxMinor    int64
	OrderPrepayHours int
	PublicURL        string

	Now     func() time.Time // nil means time.Now
	Log     *slog.Logger     // nil means slog.Default()
	Workers int              // hourly run concurrency; 0 means 8
}

// New returns a Service configured from cfg.
func New(cfg config.Config, store panel.LedgerStore, pay panel.Payments, host panel.ServerHost) *Service {
	return &Service{Store: store, Payments: pay, Host: host, Currency: cfg.Currency,
		TopupMinMinor: cfg.TopupMinMinor, TopupMaxMinor: cfg.TopupMaxMinor,
		OrderPrepayHours: cfg.OrderPrepayHours, PublicURL: cfg.PublicURL,
		Dunning: DunningPolicy{Grace: time.Duration(cfg.DunningGraceDays) * 24 * time.Hour,
			FinalNotice: time.Duration(cfg.DunningNoticeHours) * time.Hour}}
}

var (
	_ panel.PriceBook       = (*Service)(nil)
	_ panel.ServerEventSink = (*Service)(nil)
)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Effective is s with the administrators' settings in force applied: the
// top-up bounds, the order prepay hours, the low-balance thresholds and
// the grace days. Without Settings it is s.
func (s *Service) Effective(ctx context.Context) *Service {
	if s.Settings == nil {
		return s
	}
	st := s.Settings.Current(ctx)
	cp := *s
	cp.Settings = nil
	cp.TopupMinMinor, cp.TopupMaxMinor, cp.OrderPrepayHours = st.TopupMinMinor, st.TopupMaxMinor, st.PrepayHours
	cp.Dunning.WarnHours = st.LowBalanceHours
	cp.Dunning.Grace = time.Duration(st.GraceDays) * 24 * time.Hour
	if st.GraceDays == 0 {
		// DunningPolicy reads 0 as "default": no grace is one instant.
		cp.Dunning.Grace = time.Nanosecond
	}
	return &cp
}

func (s *Service) log(ctx context.Context) *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// BalanceView is GET /api/billing/balance.
type BalanceView struct {
	BalanceMinor     int64  `json:"balanceMinor"`
	Currency         string `json:"currency"`
	BurnPerHourMinor int64  `json:"burnPerHourMinor"`
	HoursRemaining   int64  `json:"hoursRemaining"`
	Low              bool   `json:"low"`
	// SuspendedAt is when the servers were suspended for a negative
	// balance, and DeleteAfter when they are deleted unless it is topped
	// up; both omitted while not suspended.
	SuspendedAt time.Time `json:"suspendedAt,omitzero"`
	DeleteAfter time.Time `json:"deleteAfter,omitzero"`
}

// LowHours is how many hours of burn below which the balance is "low",
// unless the settings say otherwise (their first low-balance threshold).
const LowHours = 72

// Balance returns a customer's balance, what their servers burn per hour
// and how long the balance lasts.
func (s *Service) Balance(ctx context.Context, userID string) (*BalanceView, error) {
	s = s.Effective(ctx)
	b, err := s.Store.Balance(ctx, userID)
	if err != nil {
		return nil, err
	}
	servers, err := s.Store.UserServers(ctx, userID)
	if err != nil {
		return nil, err
	}
	v := &BalanceView{BalanceMinor: b.BalanceMinor, Currency: s.Currency}
	for _, sv := range servers {
		if sv.Status == panel.BilledActive {
			v.BurnPerHourMinor += sv.HourlyMinor + sv.AddonsHourlyMinor()
		}
	}
	if v.BurnPerHourMinor > 0 && v.BalanceMinor > 0 {
		v.HoursRemaining = v.BalanceMinor / v.BurnPerHourMinor
	}
	v.Low = v.BalanceMinor < 0 || (v.BurnPerHourMinor > 0 && v.HoursRemaining < int64(s.Dunning.warnHours()[0]))
	d, err := s.Store.Dunning(ctx, userID)
	if err != nil {
		return nil, err
	}
	if !d.SuspendedAt.IsZero() && d.DeletedAt.IsZero() {
		v.SuspendedAt, v.DeleteAfter = d.SuspendedAt, s.Dunning.DeleteAfter(d)
	}
	return v, nil
}

// Transactions lists a customer's ledger entries, newest first.
func (s *Service) Transactions(ctx context.Context, userID string, f panel.EntryFilter) ([]*panel.LedgerEntry, string, error) {
	if f.Type != "" && !panel.ValidEntryType(f.Type) {
		return nil, "", panel.Invalid(map[string]string{"type": "Use topup, charge, refund, reversal, adjustment or promo."})
	}
	return s.Store.Entries(ctx, userID, f)
}

// Prices implements panel.PriceBook from the stored prices.
func (s *Service) Prices(ctx context.Context) (map[int64]panel.Price, error) {
	return s.Store.Prices(ctx)
}

// SetPrice sets a package's hourly price and monthly cap (admin).
func (s *Service) SetPrice(ctx context.Context, packageID int64, p panel.Price) (*panel.Price, error) {
	bad := map[string]string{}
	if packageID <= 0 {
		bad["id"] = "Not a package id."
	}
	if p.HourlyMinor <= 0 {
		bad["hourlyMinor"] = "Enter a price above zero."
	}
	if p.MonthlyCapMinor < 0 || (p.MonthlyCapMinor > 0 && p.MonthlyCapMinor < p.HourlyMinor) {
		bad["monthlyCapMinor"] = "Enter 0 (no cap) or at least the hourly price."
	}
	if len(bad) > 0 {
		return nil, panel.Invalid(bad)
	}
	// An order's prepay (hourly × OrderPrepayHours) is one movement.
	if maxHourly := panel.MaxAmountMinor / int64(max(s.OrderPrepayHours, 1)); p.HourlyMinor > maxHourly {
		return nil, panel.AmountOutOfRange("hourlyMinor", "Enter at most %s an hour.", config.FormatMoney(maxHourly))
	}
	if p.MonthlyCapMinor > panel.MaxAmountMinor {
		return nil, panel.AmountOutOfRange("monthlyCapMinor", "Enter at most %s.", config.FormatMoney(panel.MaxAmountMinor))
	}
	if s.Host == nil {
		return nil, errors.New("billing: set price: no VirtFusion to check the package against")
	}
	ok, err := s.Host.HasPackage(ctx, packageID)
	if err != nil {
		return nil, fmt.Errorf("billing: set price: check package %d: %w", packageID, err)
	}
	if !ok {
		return nil, panel.NotFound("package")
	}
	p.Currency = s.Currency
	if err := s.Store.SetPrice(ctx, packageID, p); err != nil {
		return nil, err
	}
	return &p, nil
}

// Adjust credits or debits a customer by an administrator's decision. The
// entry records who did it and why; key makes a retried request safe.
func (s *Service) Adjust(ctx context.Context, actor, userID string, amountMinor int64, reason, key string) (*panel.LedgerEntry, int64, error) {
	bad := map[string]string{}
	if amountMinor == 0 {
		bad["amountMinor"] = "Enter a non-zero amount."
	}
	if amountMinor < -panel.MaxAmountMinor || amountMinor > panel.MaxAmountMinor {
		return nil, 0, panel.AmountOutOfRange("amountMinor", "Enter at most %s either way.", config.FormatMoney(panel.MaxAmountMinor))
	}
	if len(reason) < 3 || len(reason) > 500 {
		bad["reason"] = "Say why, in 3 to 500 characters."
	} else if m := panel.TextProblem(reason); m != "" {
		bad["reason"] = m
	}
	if len(key) > 200 {
		bad["Idempotency-Key"] = "Send an Idempotency-Key header of at most 200 characters."
	}
	if len(bad) > 0 {
		return nil, 0, panel.Invalid(bad)
	}
	if key == "" {
		key = fmt.Sprintf("%d", s.now().UnixNano())
	}
	// The same key with another amount or reason is another request.
	fp := panel.Fingerprint(struct {
		AmountMinor int64
		Reason      string
	}{amountMinor, reason})
	e, applied, err := s.Store.Post(ctx, panel.Posting{UserID: userID, Type: panel.EntryAdjustment, AmountMinor: amountMinor,
		Currency: s.Currency, Description: "Adjustment: " + reason, Ref: "admin:" + actor, Actor: actor,
		IdemKey: panel.IdemAdjust + userID + "#" + key, At: s.now(), Fingerprint: fp})
	if err != nil {
		return nil, 0, err
	}
	s.log(ctx).Info("billing: adjustment", "actor", actor, "user", userID, "amountMinor", amountMinor, "reason", reason)
	// The entry knows the balance it left; a replayed one is history.
	var balance int64
	if e != nil && applied {
		balance = e.BalanceAfterMinor
	} else {
		b, err := s.Store.Balance(ctx, userID)
		if err != nil {
			return e, 0, err
		}
		balance = b.BalanceMinor
	}
	s.reconcile(ctx, userID, balance, nil)
	return e, balance, nil
}

// Reconcile suspends a customer's servers while the balance is below zero
// and lifts billing's suspensions once it is not. servers may be nil (they
// are then read). Failures are logged: the hourly run reconciles again.
func (s *Service) Reconcile(ctx context.Context, userID string, servers []*panel.BilledServer) {
	if s.Host == nil {
		return
	}
	b, err := s.Store.Balance(ctx, userID)
	if err != nil {
		s.log(ctx).Error("billing: reconcile: balance", "user", userID, "err", err)
		return
	}
	s.reconcile(ctx, userID, b.BalanceMinor, servers)
}

func (s *Service) reconcile(ctx context.Context, userID string, balance int64, servers []*panel.BilledServer) {
	if s.Host == nil {
		return
	}
	if servers == nil {
		var err error
		if servers, err = s.Store.UserServers(ctx, userID); err != nil {
			s.log(ctx).Error("billing: reconcile: servers", "user", userID, "err", err)
			return
		}
	}
	for _, sv := range servers {
		if sv.Status != panel.BilledActive {
			continue
		}
		switch {
		case balance < 0 && !sv.Suspended:
			err := s.Host.Suspend(ctx, sv.ServerID)
			if panel.ErrorCode(err) == panel.ENOTFOUND {
				s.stopMissing(ctx, sv.ServerID)
				continue
			}
			if err == nil {
				err = s.Store.SetSuspended(ctx, sv.ServerID, true)
			}
			if err != nil {
				s.log(ctx).Error("billing: suspend", "server", sv.ServerID, "err", err)
				continue
			}
			sv.Suspended = true
			s.log(ctx).Info("billing: suspended for negative balance", "server", sv.ServerID, "user", userID, "balanceMinor", balance)
		case balance >= 0 && sv.Suspended:
			err := s.Host.Unsuspend(ctx, sv.ServerID)
			if panel.ErrorCode(err) == panel.ENOTFOUND {
				s.stopMissing(ctx, sv.ServerID)
				continue
			}
			if err == nil {
				err = s.Store.SetSuspended(ctx, sv.ServerID, false)
			}
			if err != nil {
				s.log(ctx).Error("billing: unsuspend", "server", sv.ServerID, "err", err)
				continue
			}
			sv.Suspended = false
			s.log(ctx).Info("billing: unsuspended", "server", sv.ServerID, "user", userID)
		}
	}
	s.dun(ctx, userID, balance, servers)
}

// stopMissing stops billing a server VirtFusion no longer has.
func (s *Service) stopMissing(ctx context.Context, id int64) {
	if _, changed, err := s.Store.StopServer(ctx, id, s.now(), "missing in VirtFusion"); err != nil {
		s.log(ctx).Error("billing: stop missing server", "server", id, "err", err)
	} else if changed {
		s.log(ctx).Warn("billing: server missing in VirtFusion; billing stopped", "server", id)
	}
}

// ServerEvent implements panel.ServerEventSink: a server deleted in
// VirtFusion stops billing at once. Other events change nothing here.
func (s *Service) ServerEvent(ctx context.Context, ev panel.ServerEvent) error {
	if ev.Kind != panel.ServerEventDeleted || ev.ServerID == 0 {
		return nil
	}
	at := ev.At
	if at.IsZero() || at.After(s.now()) {
		at = s.now()
	}
	bs, err := s.Store.BilledServer(ctx, ev.ServerID)
	if panel.ErrorCode(err) == panel.ENOTFOUND {
		return nil // not a server billing knows
	}
	var notify []panel.Notification
	if err == nil && bs.Status == panel.BilledActive {
		notify, err = s.deletedNote(ctx, bs, "it was deleted in the control panel")
	}
	var changed bool
	if err == nil {
		_, changed, err = s.Store.StopServerWith(ctx, ev.ServerID, at, "deleted in VirtFusion", notify)
	}
	if err != nil {
		s.webhookFailed(ctx, "virtfusion", ev.ID, err)
		return fmt.Errorf("billing: stop server %d: %w", ev.ServerID, err)
	}
	if changed {
		s.log(ctx).Info("billing: server deleted in VirtFusion; billing stopped", "server", ev.ServerID, "event", ev.ID)
	}
	return nil
}

func isCode(err error, code string) bool {
	var pe *panel.Error
	return errors.As(err, &pe) && pe.Code == code
}

// Money formats minor units for messages.
func Money(minor int64, currency string) string {
	return config.FormatMoney(minor) + " " + currency
}
