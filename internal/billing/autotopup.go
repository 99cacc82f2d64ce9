package billing

import (
	"context"
	"fmt"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// DefaultAutoTopupWindow is how often at most one customer's auto top-up
// fires.
const DefaultAutoTopupWindow = 24 * time.Hour

// AutoTopupView is GET /api/billing/auto-topup.
type AutoTopupView struct {
	Available      bool      `json:"available"` // PayPal Vault is configured
	Saved          bool      `json:"saved"`     // a PayPal wallet is saved
	Email          string    `json:"email"`
	Enabled        bool      `json:"enabled"`
	ThresholdMinor int64     `json:"thresholdMinor"`
	AmountMinor    int64     `json:"amountMinor"`
	LastStatus     string    `json:"lastStatus"` // "", succeeded or failed
	LastAt         time.Time `json:"lastAt,omitzero"`
	TopupMinMinor  int64     `json:"topupMinMinor"`
	TopupMaxMinor  int64     `json:"topupMaxMinor"`
}

// AutoTopupStats counts one run of the auto top-ups.
type AutoTopupStats struct {
	Enabled, Due, Fired, Failed int
}

func (s *Service) autoStore() (panel.AutoTopupStore, error) {
	if s.AutoTopups == nil {
		return nil, panel.Errorf(panel.EUNAVAILABLE, "Auto top-up is not available.")
	}
	return s.AutoTopups, nil
}

// loadAutoTopup returns the store and the customer's saved settings.
func (s *Service) loadAutoTopup(ctx context.Context, userID string) (panel.AutoTopupStore, *panel.AutoTopup, error) {
	st, err := s.autoStore()
	if err != nil {
		return nil, nil, err
	}
	a, err := st.AutoTopup(ctx, userID)
	return st, a, err
}

func (s *Service) autoView(a *panel.AutoTopup) *AutoTopupView {
	return &AutoTopupView{Available: s.Vault != nil, Saved: a.TokenID != "", Email: a.Email, Enabled: a.Enabled,
		ThresholdMinor: a.ThresholdMinor, AmountMinor: a.AmountMinor, LastStatus: a.LastStatus, LastAt: a.LastAt,
		TopupMinMinor: s.TopupMinMinor, TopupMaxMinor: s.TopupMaxMinor}
}

// AutoTopup returns a customer's auto top-up settings.
func (s *Service) AutoTopup(ctx context.Context, userID string) (*AutoTopupView, error) {
	_, a, err := s.loadAutoTopup(ctx, userID)
	if err != nil {
		return nil, err
	}
	return s.autoView(a), nil
}

// StartAutoTopupSetup opens a PayPal setup token for the customer to
// approve; they come back to /billing?autoTopup=<setup token>.
func (s *Service) StartAutoTopupSetup(ctx context.Context, userID string) (string, error) {
	if s.Vault == nil {
		return "", panel.Errorf(panel.EUNAVAILABLE, "Auto top-up is not available.")
	}
	st, a, err := s.loadAutoTopup(ctx, userID)
	if err != nil {
		return "", err
	}
	id, approve, err := s.Vault.StartVault(ctx, "Automatic top-ups of your balance", s.PublicURL+"/billing?autoTopup=1",
		s.PublicURL+"/billing?autoTopupCancelled=1", randomID("vault-"))
	if err != nil {
		return "", err
	}
	a.SetupTokenID = id
	if err := st.PutAutoTopup(ctx, a); err != nil {
		return "", err
	}
	return approve, nil
}

// ConfirmAutoTopupSetup saves the wallet of the customer's approved setup
// token (its id must be the one StartAutoTopupSetup stored for them),
// replacing a wallet saved before (deleted at PayPal).
func (s *Service) ConfirmAutoTopupSetup(ctx context.Context, userID, setupTokenID string) (*AutoTopupView, error) {
	st, a, err := s.loadAutoTopup(ctx, userID)
	if err != nil {
		return nil, err
	}
	if a.SetupTokenID == "" || a.SetupTokenID != setupTokenID || s.Vault == nil {
		return nil, panel.NotFound("setup token")
	}
	token, email, err := s.Vault.FinishVault(ctx, setupTokenID, "ptok-"+setupTokenID)
	if err != nil {
		return nil, err
	}
	old := a.TokenID
	a.TokenID, a.Email, a.SetupTokenID = token, email, ""
	if a.AmountMinor == 0 {
		a.AmountMinor, a.ThresholdMinor = max(s.TopupMinMinor, 2000), 500
	}
	if err := st.PutAutoTopup(ctx, a); err != nil {
		return nil, err
	}
	if old != "" && old != token {
		if err := s.Vault.RemoveVault(ctx, old); err != nil {
			s.log(ctx).Warn("billing: replaced vault token not deleted at PayPal", "user", userID, "err", err)
		}
	}
	return s.autoView(a), nil
}

// SetAutoTopup changes the rule: top up amountMinor (within the top-up
// limits) when the balance is below thresholdMinor.
func (s *Service) SetAutoTopup(ctx context.Context, userID string, enabled bool, thresholdMinor, amountMinor int64) (*AutoTopupView, error) {
	st, err := s.autoStore()
	if err != nil {
		return nil, err
	}
	bad := map[string]string{}
	if amountMinor < s.TopupMinMinor || amountMinor > s.TopupMaxMinor {
		bad["amountMinor"] = fmt.Sprintf("Enter between %s and %s.", Money(s.TopupMinMinor, s.Currency), Money(s.TopupMaxMinor, s.Currency))
	}
	if thresholdMinor < 0 || thresholdMinor > s.TopupMaxMinor {
		bad["thresholdMinor"] = fmt.Sprintf("Enter between %s and %s.", Money(0, s.Currency), Money(s.TopupMaxMinor, s.Currency))
	}
	if len(bad) > 0 {
		return nil, panel.Invalid(bad)
	}
	a, err := st.AutoTopup(ctx, userID)
	if err != nil {
		return nil, err
	}
	if enabled && a.TokenID == "" {
		return nil, panel.Errorf(panel.ECONFLICT, "Save a PayPal account first.")
	}
	a.Enabled, a.ThresholdMinor, a.AmountMinor = enabled, thresholdMinor, amountMinor
	if err := st.PutAutoTopup(ctx, a); err != nil {
		return nil, err
	}
	return s.autoView(a), nil
}

// RemoveAutoTopup deletes the saved wallet at PayPal, then the settings.
func (s *Service) RemoveAutoTopup(ctx context.Context, userID string) error {
	st, a, err := s.loadAutoTopup(ctx, userID)
	if err != nil {
		return err
	}
	if a.TokenID != "" {
		if s.Vault == nil {
			return panel.Errorf(panel.EUNAVAILABLE, "PayPal is not available; try again later.")
		}
		if err := s.Vault.RemoveVault(ctx, a.TokenID); err != nil {
			return err
		}
	}
	return st.DeleteAutoTopup(ctx, userID)
}

func (s *Service) autoWindow(now time.Time) int64 {
	w := s.AutoTopupWindow
	if w <= 0 {
		w = DefaultAutoTopupWindow
	}
	return now.Unix() / int64(w/time.Second)
}

// RunAutoTopups tops up every customer whose balance is below their
// threshold, at most once per window each: the window is claimed with a
// conditional write before PayPal is asked, so two runs cannot both
// charge. The payment is credited like any capture (CreditTopup, keyed by
// the capture), which also queues the receipt; a failure is mailed.
func (s *Service) RunAutoTopups(ctx context.Context) (AutoTopupStats, error) {
	var st AutoTopupStats
	if s.AutoTopups == nil || s.Vault == nil {
		return st, nil
	}
	list, err := s.AutoTopups.EnabledAutoTopups(ctx)
	if err != nil {
		return st, err
	}
	st.Enabled = len(list)
	ids := make([]string, len(list))
	for i, a := range list {
		ids[i] = a.UserID
	}
	bals, err := s.Store.Balances(ctx, ids)
	if err != nil {
		return st, err
	}
	window := s.autoWindow(s.now())
	var errs []error
	for _, a := range list {
		if b := bals[a.UserID]; b == nil || b.BalanceMinor >= a.ThresholdMinor || a.LastWindow >= window {
			continue
		}
		st.Due++
		claimed, err := s.AutoTopups.ClaimAutoTopupWindow(ctx, a.UserID, window)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !claimed {
			continue
		}
		if err := s.fireAutoTopup(ctx, a); err != nil {
			st.Failed++
			s.log(ctx).Warn("billing: auto top-up failed", "user", a.UserID, "err", err)
			continue
		}
		st.Fired++
	}
	if len(errs) > 0 {
		return st, fmt.Errorf("billing: auto top-ups: %d errors, first: %w", len(errs), errs[0])
	}
	return st, nil
}

// fireAutoTopup charges the saved wallet for one top-up and credits it.
func (s *Service) fireAutoTopup(ctx context.Context, a *panel.AutoTopup) error {
	t := &panel.Topup{ID: randomID("tp_"), UserID: a.UserID, AmountMinor: a.AmountMinor, Currency: s.Currency,
		CreatedAt: s.now(), Auto: true}
	err := s.Store.CreateTopup(ctx, t)
	var o *panel.PaymentOrder
	if err == nil {
		o, err = s.Vault.ChargeVault(ctx, t.AmountMinor, t.Currency, t.ID, a.TokenID, "auto-"+t.ID)
	}
	if err == nil {
		err = s.Store.SetTopupOrder(ctx, t.ID, o.ID)
		t.OrderID = o.ID
	}
	credited := false
	if err == nil {
		for i := range o.Captures {
			c := &o.Captures[i]
			if c.OrderID == "" {
				c.OrderID = o.ID
			}
			ok, cerr := s.settleCapture(ctx, t, c)
			if cerr != nil {
				err = cerr
			}
			credited = credited || ok
		}
		if err == nil && !credited {
			err = fmt.Errorf("PayPal did not complete the payment (%s)", o.Status)
		}
	}
	status := "succeeded"
	if err != nil {
		status = "failed"
		s.autoTopupFailedMail(ctx, a, t.ID, err)
	}
	if rerr := s.AutoTopups.RecordAutoTopupResult(ctx, a.UserID, status, s.now()); rerr != nil {
		s.log(ctx).Warn("billing: record auto top-up result", "user", a.UserID, "err", rerr)
	}
	return err
}

// autoTopupFailedMail queues the failure mail once per top-up attempt.
func (s *Service) autoTopupFailedMail(ctx context.Context, a *panel.AutoTopup, topupID string, why error) {
	if s.Queue == nil {
		return
	}
	bal := ""
	if b, err := s.Store.Balance(ctx, a.UserID); err == nil {
		bal = Money(b.BalanceMinor, s.Currency)
	}
	reason := "PayPal did not accept the payment."
	if m := panel.ErrorMessage(why); m != "" && panel.ErrorCode(why) != panel.EINTERNAL {
		reason = m
	}
	n, ok, err := s.note(ctx, a.UserID, panel.NotifyAutoTopupFailed, topupID,
		map[string]string{"amount": Money(a.AmountMinor, s.Currency), "balance": bal, "reason": reason})
	if err != nil || !ok {
		return
	}
	if err := s.Queue.Enqueue(ctx, n); err != nil {
		s.log(ctx).Error("billing: auto top-up failure mail not queued", "user", a.UserID, "err", err)
	}
}
