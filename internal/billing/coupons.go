package billing

import (
	"context"
	"fmt"
	"strconv"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Coupon targets: what a code is entered on.
const (
	CouponOnTopup = "topup"
	CouponOnOrder = "order"
)

// CouponPreview is what a code would give, shown before paying or ordering.
type CouponPreview struct {
	Code        string `json:"code"`
	Kind        string `json:"kind" enum:"topup_percent,topup_fixed,first_order,free_hours"`
	CreditMinor int64  `json:"creditMinor"`
	Summary     string `json:"summary"`
}

// CouponCheck is what PreviewCoupon judges a code against.
type CouponCheck struct {
	On          string // CouponOnTopup or CouponOnOrder
	AmountMinor int64  // the top-up amount (top-ups)
	PackageID   int64  // the plan ordered (orders)
	ServerID    int64  // the server the order made, once it exists
}

func badCoupon(msg string) error { return panel.Invalid(map[string]string{"coupon": msg}) }

// CreateCoupon stores a new coupon (admin). Counters start at zero.
func (s *Service) CreateCoupon(ctx context.Context, actor string, c panel.Coupon) (*panel.Coupon, error) {
	c.Code = panel.NormalizeCoupon(c.Code)
	if c.ValidFrom.IsZero() {
		c.ValidFrom = s.now()
	}
	if bad := c.Valid(); bad != nil {
		return nil, panel.Invalid(bad)
	}
	if c.Kind == panel.CouponFreeHours {
		prices, err := s.Store.Prices(ctx)
		if err != nil {
			return nil, err
		}
		if _, ok := prices[c.PackageID]; !ok {
			return nil, panel.Invalid(map[string]string{"packageId": "This plan has no price."})
		}
	}
	c.Redeemed, c.CreditedMinor, c.Disabled, c.CreatedAt, c.CreatedBy = 0, 0, false, s.now(), actor
	if err := s.Coupons.CreateCoupon(ctx, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// PreviewCoupon says what code would credit userID on chk, or why it
// would not (EINVALID naming the coupon field). The redemption's write
// checks the limits again as its conditions.
func (s *Service) PreviewCoupon(ctx context.Context, userID, code string, chk CouponCheck) (*CouponPreview, error) {
	c, credit, err := s.couponFor(ctx, userID, code, chk)
	if err != nil {
		return nil, err
	}
	return &CouponPreview{Code: c.Code, Kind: c.Kind, CreditMinor: credit, Summary: couponSummary(c, credit, s.Currency)}, nil
}

func couponSummary(c *panel.Coupon, credit int64, currency string) string {
	switch c.Kind {
	case panel.CouponTopupPercent:
		return fmt.Sprintf("%d%% bonus: %s added to this top-up.", c.Percent, Money(credit, currency))
	case panel.CouponTopupFixed:
		return fmt.Sprintf("%s added to this top-up.", Money(credit, currency))
	case panel.CouponFirstOrder:
		return fmt.Sprintf("%s credited when this first server is built.", Money(credit, currency))
	default:
		return fmt.Sprintf("The first %d hours free: %s credited when the server is built.", c.Hours, Money(credit, currency))
	}
}

// couponFor reads a code and computes its credit for chk, refusing
// (EINVALID) what the coupon does not allow.
func (s *Service) couponFor(ctx context.Context, userID, code string, chk CouponCheck) (*panel.Coupon, int64, error) {
	code = panel.NormalizeCoupon(code)
	if s.Coupons == nil {
		return nil, 0, badCoupon("Promo codes are not available here.")
	}
	if !panel.ValidCouponCode(code) {
		return nil, 0, badCoupon("This code does not exist.")
	}
	c, err := s.Coupons.Coupon(ctx, code)
	if panel.ErrorCode(err) == panel.ENOTFOUND {
		return nil, 0, badCoupon("This code does not exist.")
	}
	if err != nil {
		return nil, 0, err
	}
	now := s.now()
	switch {
	case c.Disabled, now.Before(c.ValidFrom), !now.Before(c.ValidUntil):
		return nil, 0, badCoupon("This code is not valid now.")
	case c.MaxRedemptions > 0 && c.Redeemed >= c.MaxRedemptions:
		return nil, 0, badCoupon("This code has been used up.")
	case c.ForTopups() != (chk.On == CouponOnTopup):
		if c.ForTopups() {
			return nil, 0, badCoupon("This code is for top-ups.")
		}
		return nil, 0, badCoupon("This code is for orders.")
	}
	uses, err := s.Coupons.CouponUses(ctx, c.Code, userID)
	if err != nil {
		return nil, 0, err
	}
	if uses >= c.PerCustomer {
		return nil, 0, badCoupon("You have used this code as often as it allows.")
	}
	base, credit := chk.AmountMinor, int64(0)
	switch c.Kind {
	case panel.CouponTopupPercent:
		credit = chk.AmountMinor * c.Percent / 100
	case panel.CouponTopupFixed:
		credit = c.AmountMinor
	default:
		prices, err := s.Store.Prices(ctx)
		if err != nil {
			return nil, 0, err
		}
		price, ok := prices[chk.PackageID]
		if !ok {
			return nil, 0, badCoupon("Choose a plan first.")
		}
		base = price.HourlyMinor * int64(max(s.OrderPrepayHours, 1))
		if c.Kind == panel.CouponFreeHours {
			if c.PackageID != chk.PackageID {
				return nil, 0, badCoupon("This code is for another plan.")
			}
			credit = price.HourlyMinor * c.Hours
		} else {
			used, err := s.Coupons.FirstOrderPromoUsed(ctx, userID)
			if err != nil {
				return nil, 0, err
			}
			servers, err := s.Store.UserServers(ctx, userID)
			if err != nil {
				return nil, 0, err
			}
			others := 0
			for _, sv := range servers {
				if sv.ServerID != chk.ServerID {
					others++
				}
			}
			if used || others > 0 {
				return nil, 0, badCoupon("This code is for a first order only.")
			}
			credit = c.AmountMinor
		}
	}
	if base < c.MinAmountMinor {
		return nil, 0, badCoupon(fmt.Sprintf("This code needs at least %s.", Money(c.MinAmountMinor, s.Currency)))
	}
	if credit <= 0 {
		return nil, 0, badCoupon("This code gives nothing here.")
	}
	return c, credit, nil
}

// redeem applies a coupon's credit on ref once: the write's conditions
// enforce the limits, so a refusal here (used up meanwhile) moves nothing.
func (s *Service) redeem(ctx context.Context, userID, code, ref string, chk CouponCheck) (*panel.LedgerEntry, error) {
	c, credit, err := s.couponFor(ctx, userID, code, chk)
	if err != nil {
		return nil, err
	}
	base := chk.AmountMinor
	if !c.ForTopups() {
		prices, err := s.Store.Prices(ctx)
		if err != nil {
			return nil, err
		}
		base = prices[chk.PackageID].HourlyMinor * int64(max(s.OrderPrepayHours, 1))
	}
	e, applied, err := s.Coupons.RedeemCoupon(ctx, panel.Redemption{Coupon: c, BaseMinor: base, Ref: ref,
		FirstOrder: c.Kind == panel.CouponFirstOrder,
		Posting: panel.Posting{UserID: userID, AmountMinor: credit, Currency: s.Currency,
			Description: "Promo code " + c.Code, Ref: "coupon:" + c.Code, At: s.now()}})
	if err != nil {
		return nil, err
	}
	if applied {
		s.log(ctx).Info("billing: coupon redeemed", "user", userID, "coupon", c.Code, "ref", ref, "creditMinor", credit)
		s.Reconcile(ctx, userID, nil)
	}
	return e, nil
}

// topupBonus credits a credited top-up's coupon bonus once (keyed by the
// top-up). A refusal (the code ran out since the top-up began) is logged:
// the payment itself is credited either way.
func (s *Service) topupBonus(ctx context.Context, t *panel.Topup) {
	if t.Coupon == "" || s.Coupons == nil {
		return
	}
	if _, err := s.redeem(ctx, t.UserID, t.Coupon, "topup:"+t.ID, CouponCheck{On: CouponOnTopup, AmountMinor: t.AmountMinor}); err != nil {
		// A replay of a redemption that was applied is no error: the
		// per-customer check in couponFor refuses before the write.
		s.log(ctx).Warn("billing: top-up coupon not credited", "user", t.UserID, "topup", t.ID, "coupon", t.Coupon, "err", err)
	}
}

// orderCredit credits an order's coupon once its server is built.
func (s *Service) orderCredit(ctx context.Context, userID, code string, serverID, packageID int64) {
	if code == "" {
		return
	}
	ref := "server:" + strconv.FormatInt(serverID, 10)
	if _, err := s.redeem(ctx, userID, code, ref, CouponCheck{On: CouponOnOrder, PackageID: packageID, ServerID: serverID}); err != nil {
		s.log(ctx).Warn("billing: order coupon not credited", "user", userID, "server", serverID, "coupon", code, "err", err)
	}
}
