package panel

import (
	"context"
	"strings"
	"time"
)

// Coupon kinds: what a promo code gives.
const (
	CouponTopupPercent = "topup_percent" // a bonus of Percent % of a top-up
	CouponTopupFixed   = "topup_fixed"   // a bonus of AmountMinor on a top-up
	CouponFirstOrder   = "first_order"   // a credit of AmountMinor on the customer's first order
	CouponFreeHours    = "free_hours"    // Hours of PackageID's hourly price credited on an order of it
)

// EntryPromo is the ledger entry type of a coupon's credit.
const EntryPromo = "promo"

// IdemPromo is the idempotency namespace of a coupon redemption:
// + code + "#" + what it was redeemed on (a top-up id, a server id).
const IdemPromo = "PROMO#"

// Coupon is a promo code the operator created, with its redemption
// counters. Limits are conditions of each redemption's write.
type Coupon struct {
	Code        string `json:"code"`
	Kind        string `json:"kind" enum:"topup_percent,topup_fixed,first_order,free_hours"`
	Percent     int64  `json:"percent"`     // topup_percent: 1..100
	AmountMinor int64  `json:"amountMinor"` // topup_fixed, first_order
	Hours       int64  `json:"hours"`       // free_hours
	PackageID   int64  `json:"packageId"`   // free_hours
	// MinAmountMinor is the least top-up (top-up kinds) or prepaid order
	// amount (order kinds) the code applies to; 0 for none.
	MinAmountMinor int64     `json:"minAmountMinor"`
	ValidFrom      time.Time `json:"validFrom"`
	ValidUntil     time.Time `json:"validUntil"`
	// MaxRedemptions is the total limit (0: none); PerCustomer the limit
	// per customer (at least 1).
	MaxRedemptions int64     `json:"maxRedemptions"`
	PerCustomer    int64     `json:"perCustomer"`
	Disabled       bool      `json:"disabled"`
	Redeemed       int64     `json:"redeemed"`
	CreditedMinor  int64     `json:"creditedMinor"`
	CreatedAt      time.Time `json:"createdAt"`
	CreatedBy      string    `json:"-"`
}

// ForTopups reports whether the coupon applies to top-ups (else orders).
func (c *Coupon) ForTopups() bool {
	return c.Kind == CouponTopupPercent || c.Kind == CouponTopupFixed
}

var couponCode = lazyRegexp(`^[A-Z0-9][A-Z0-9_-]{2,31}$`)

// NormalizeCoupon upper-cases and trims a code as customers type it.
func NormalizeCoupon(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

// ValidCouponCode reports whether code (normalized) is a possible code.
func ValidCouponCode(code string) bool { return couponCode().MatchString(code) }

// Valid reports the invalid fields of a new coupon.
func (c *Coupon) Valid() map[string]string {
	bad := map[string]string{}
	if !ValidCouponCode(c.Code) {
		bad["code"] = "Use 3 to 32 letters, digits, - or _."
	}
	switch c.Kind {
	case CouponTopupPercent:
		if c.Percent < 1 || c.Percent > 100 {
			bad["percent"] = "Use 1 to 100."
		}
	case CouponTopupFixed, CouponFirstOrder:
		if c.AmountMinor < 1 || c.AmountMinor > 100000 {
			bad["amountMinor"] = "Use 0.01 to 1000.00."
		}
	case CouponFreeHours:
		if c.Hours < 1 || c.Hours > 744 {
			bad["hours"] = "Use 1 to 744 hours."
		}
		if c.PackageID <= 0 {
			bad["packageId"] = "Choose a plan."
		}
	default:
		bad["kind"] = "Use topup_percent, topup_fixed, first_order or free_hours."
	}
	if c.MinAmountMinor < 0 || c.MinAmountMinor > MaxAmountMinor {
		bad["minAmountMinor"] = "Use 0 or a positive amount."
	}
	if c.ValidUntil.IsZero() || !c.ValidUntil.After(c.ValidFrom) {
		bad["validUntil"] = "Must be after the start."
	}
	if c.MaxRedemptions < 0 {
		bad["maxRedemptions"] = "Use 0 (no limit) or more."
	}
	if c.PerCustomer < 1 || c.PerCustomer > 1000 {
		bad["perCustomer"] = "Use 1 to 1000."
	}
	if len(bad) == 0 {
		return nil
	}
	return bad
}

// CouponRedemption is one use of a coupon, for reports.
type CouponRedemption struct {
	Code        string    `json:"code"`
	UserID      string    `json:"userId"`
	Ref         string    `json:"ref"` // what it was redeemed on: topup:<id>, server:<id>
	AmountMinor int64     `json:"amountMinor"`
	At          time.Time `json:"at"`
}

// Redemption asks for one coupon redemption: the credit p, on the
// conditions that the coupon is still c.Kind, enabled, valid at p.At,
// under its total and per-customer limits, and that baseMinor meets its
// minimum. FirstOrder also requires that the customer never redeemed a
// first-order credit before.
type Redemption struct {
	Coupon     *Coupon
	BaseMinor  int64
	Ref        string
	FirstOrder bool
	Posting    Posting
}

// CouponStore keeps coupons and applies redemptions.
type CouponStore interface {
	// CreateCoupon stores a new coupon. ECONFLICT when the code exists.
	CreateCoupon(ctx context.Context, c *Coupon) error
	// Coupon returns a coupon by (normalized) code. ENOTFOUND when none.
	Coupon(ctx context.Context, code string) (*Coupon, error)
	// Coupons lists every coupon, newest first.
	Coupons(ctx context.Context) ([]*Coupon, error)
	// SetCouponDisabled disables or enables a coupon and returns it before
	// and after.
	SetCouponDisabled(ctx context.Context, code string, disabled bool) (before, after *Coupon, err error)
	// RedeemCoupon applies r once per r.Posting.IdemKey, in one write with
	// its ledger entry and the counters. applied=false and the earlier
	// entry for a replay; ECONFLICT when a condition fails.
	RedeemCoupon(ctx context.Context, r Redemption) (e *LedgerEntry, applied bool, err error)
	// FirstOrderPromoUsed reports whether a customer had a first-order credit.
	FirstOrderPromoUsed(ctx context.Context, userID string) (bool, error)
	// CouponUses returns how often a customer redeemed a coupon.
	CouponUses(ctx context.Context, code, userID string) (int64, error)
	// CouponRedemptions lists a coupon's redemptions, newest first.
	CouponRedemptions(ctx context.Context, code string) ([]CouponRedemption, error)
}

// PaymentVault saves a customer's PayPal wallet for merchant-initiated
// payments (PayPal Vault v3) and charges it.
type PaymentVault interface {
	// StartVault opens a setup token; the payer approves at approveURL.
	StartVault(ctx context.Context, description, returnURL, cancelURL, requestID string) (setupTokenID, approveURL string, err error)
	// FinishVault turns an approved setup token into a payment token.
	FinishVault(ctx context.Context, setupTokenID, requestID string) (tokenID, email string, err error)
	// RemoveVault deletes a payment token (a missing one is not an error).
	RemoveVault(ctx context.Context, tokenID string) error
	// ChargeVault creates an order paid with the token, captured at once.
	ChargeVault(ctx context.Context, amountMinor int64, currency, customID, tokenID, requestID string) (*PaymentOrder, error)
}

// AutoTopup is a customer's auto top-up: the saved PayPal wallet and the
// rule (top up AmountMinor when the balance is below ThresholdMinor).
type AutoTopup struct {
	UserID         string
	SetupTokenID   string // pending approval
	TokenID        string // the vaulted wallet; "" when none is saved
	Email          string
	ThresholdMinor int64
	AmountMinor    int64
	Enabled        bool
	LastWindow     int64 // the last window (hours since epoch / window) that fired
	LastStatus     string
	LastAt         time.Time
}

// AutoTopupStore keeps auto top-up settings.
type AutoTopupStore interface {
	// AutoTopup returns a customer's settings (zero when none).
	AutoTopup(ctx context.Context, userID string) (*AutoTopup, error)
	// PutAutoTopup saves settings (not LastWindow).
	PutAutoTopup(ctx context.Context, a *AutoTopup) error
	// DeleteAutoTopup forgets them.
	DeleteAutoTopup(ctx context.Context, userID string) error
	// EnabledAutoTopups lists the settings that are on with a saved wallet.
	EnabledAutoTopups(ctx context.Context) ([]*AutoTopup, error)
	// ClaimAutoTopupWindow records that window fired, on the condition that
	// no later or equal window did: false when it had.
	ClaimAutoTopupWindow(ctx context.Context, userID string, window int64) (bool, error)
	// RecordAutoTopupResult stores the outcome of the last run.
	RecordAutoTopupResult(ctx context.Context, userID, status string, at time.Time) error
}
