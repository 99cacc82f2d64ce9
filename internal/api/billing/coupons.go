package billing

import (
	"net/http"

	bill "github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/httpx"
)

// CouponCheckRequest is the body of POST /api/billing/coupons/validate:
// a code and what it is for (a top-up of amount, or an order of packageId).
type CouponCheckRequest struct {
	Code      string `json:"code"`
	On        string `json:"on" enum:"topup,order"`
	Amount    string `json:"amount,omitempty"`
	PackageID int64  `json:"packageId,omitempty"`
}

// Valid reports the invalid fields.
func (c CouponCheckRequest) Valid() map[string]string {
	bad := map[string]string{}
	if c.Code == "" {
		bad["coupon"] = "Enter a code."
	}
	switch c.On {
	case bill.CouponOnTopup:
		if c.Amount == "" {
			bad["amount"] = "Enter an amount like 25.00."
		}
	case bill.CouponOnOrder:
		if c.PackageID <= 0 {
			bad["packageId"] = "Choose a plan."
		}
	default:
		bad["on"] = "Use topup or order."
	}
	if len(bad) == 0 {
		return nil
	}
	return bad
}

// validateCoupon serves POST /api/billing/coupons/validate: what a code
// would give, without redeeming it.
func (h *handlers) validateCoupon(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[CouponCheckRequest](r)
	if err != nil {
		return err
	}
	chk := bill.CouponCheck{On: req.On, PackageID: req.PackageID}
	if req.On == bill.CouponOnTopup {
		if chk.AmountMinor, err = h.svc.ParseAmount(r.Context(), req.Amount); err != nil {
			return err
		}
	}
	prev, err := h.svc.PreviewCoupon(r.Context(), p.UserID, req.Code, chk)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, prev)
}
