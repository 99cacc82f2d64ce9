package admin

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// CouponRequest is the body of POST /api/admin/coupons.
type CouponRequest struct {
	Code           string    `json:"code"`
	Kind           string    `json:"kind" enum:"topup_percent,topup_fixed,first_order,free_hours"`
	Percent        int64     `json:"percent,omitempty"`
	AmountMinor    int64     `json:"amountMinor,omitempty"`
	Hours          int64     `json:"hours,omitempty"`
	PackageID      int64     `json:"packageId,omitempty"`
	MinAmountMinor int64     `json:"minAmountMinor,omitempty"`
	ValidFrom      time.Time `json:"validFrom,omitzero"`
	ValidUntil     time.Time `json:"validUntil"`
	MaxRedemptions int64     `json:"maxRedemptions,omitempty"`
	PerCustomer    int64     `json:"perCustomer"`
}

// CouponPatch is the body of PATCH /api/admin/coupons/{code}.
type CouponPatch struct {
	Disabled bool `json:"disabled"`
}

// CouponList is the body of GET /api/admin/coupons.
type CouponList struct {
	Items []*panel.Coupon `json:"items"`
}

// CouponBody wraps one coupon.
type CouponBody struct {
	Coupon panel.Coupon `json:"coupon"`
}

// RedemptionList is the body of GET /api/admin/coupons/{code}/redemptions.
type RedemptionList struct {
	Items       []panel.CouponRedemption `json:"items"`
	TotalMinor  int64                    `json:"totalMinor"`
	Redemptions int                      `json:"redemptions"`
}

// couponHandlers are the coupon routes (issue 19, promo).
func (h *handlers) couponHandlers() httpx.Handlers {
	return httpx.Handlers{
		"GET /api/admin/coupons":                    httpx.HandlerFunc(h.coupons),
		"POST /api/admin/coupons":                   httpx.HandlerFunc(h.createCoupon),
		"PATCH /api/admin/coupons/{code}":           httpx.HandlerFunc(h.patchCoupon),
		"GET /api/admin/coupons/{code}/redemptions": httpx.HandlerFunc(h.redemptions),
	}
}

func (h *handlers) couponStore() (panel.CouponStore, error) {
	if h.d.Billing.Coupons == nil {
		return nil, panel.Errorf(panel.EUNAVAILABLE, "Coupons are not configured.")
	}
	return h.d.Billing.Coupons, nil
}

// coupons serves GET /api/admin/coupons.
func (h *handlers) coupons(w http.ResponseWriter, r *http.Request) error {
	if _, err := admin(r); err != nil {
		return err
	}
	st, err := h.couponStore()
	if err != nil {
		return err
	}
	cs, err := st.Coupons(r.Context())
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, CouponList{Items: cs})
}

// createCoupon serves POST /api/admin/coupons.
func (h *handlers) createCoupon(w http.ResponseWriter, r *http.Request) error {
	p, err := admin(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[CouponRequest](r)
	if err != nil {
		return err
	}
	c, err := h.d.Billing.CreateCoupon(r.Context(), p.UserID, panel.Coupon{Code: req.Code, Kind: req.Kind, Percent: req.Percent,
		AmountMinor: req.AmountMinor, Hours: req.Hours, PackageID: req.PackageID, MinAmountMinor: req.MinAmountMinor,
		ValidFrom: req.ValidFrom, ValidUntil: req.ValidUntil, MaxRedemptions: req.MaxRedemptions, PerCustomer: req.PerCustomer})
	if err != nil {
		return err
	}
	h.audit(r, p, panel.ActCouponCreate, c.Code, "before: none; after: "+couponLine(c))
	return httpx.Encode(w, http.StatusCreated, CouponBody{Coupon: *c})
}

// patchCoupon serves PATCH /api/admin/coupons/{code}: disable or enable.
func (h *handlers) patchCoupon(w http.ResponseWriter, r *http.Request) error {
	p, err := admin(r)
	if err != nil {
		return err
	}
	st, err := h.couponStore()
	if err != nil {
		return err
	}
	req, err := httpx.Decode[CouponPatch](r)
	if err != nil {
		return err
	}
	before, after, err := st.SetCouponDisabled(r.Context(), panel.NormalizeCoupon(r.PathValue("code")), req.Disabled)
	if err != nil {
		return err
	}
	h.audit(r, p, panel.ActCouponUpdate, after.Code, "before: "+couponLine(before)+"; after: "+couponLine(after))
	return httpx.Encode(w, http.StatusOK, CouponBody{Coupon: *after})
}

// redemptions serves GET /api/admin/coupons/{code}/redemptions.
func (h *handlers) redemptions(w http.ResponseWriter, r *http.Request) error {
	if _, err := admin(r); err != nil {
		return err
	}
	st, err := h.couponStore()
	if err != nil {
		return err
	}
	code := panel.NormalizeCoupon(r.PathValue("code"))
	if _, err := st.Coupon(r.Context(), code); err != nil {
		return err
	}
	items, err := st.CouponRedemptions(r.Context(), code)
	if err != nil {
		return err
	}
	out := RedemptionList{Items: items, Redemptions: len(items)}
	for _, it := range items {
		out.TotalMinor += it.AmountMinor
	}
	return httpx.Encode(w, http.StatusOK, out)
}

func couponLine(c *panel.Coupon) string {
	return fmt.Sprintf("%s kind=%s percent=%d amount=%d hours=%d package=%d min=%d from=%s until=%s max=%d per=%d disabled=%t",
		c.Code, c.Kind, c.Percent, c.AmountMinor, c.Hours, c.PackageID, c.MinAmountMinor,
		c.ValidFrom.Format(time.RFC3339), c.ValidUntil.Format(time.RFC3339), c.MaxRedemptions, c.PerCustomer, c.Disabled)
}

// audit records an admin's coupon change in the admin's activity and the
// log (who, what, when, before and after).
func (h *handlers) audit(r *http.Request, p *panel.Principal, action panel.ActivityKind, code, detail string) {
	httpx.Logger(r.Context()).Info("audit: "+string(action), "admin", p.UserID, "adminEmail", p.Email, "coupon", code,
		"detail", detail, "ip", httpx.ClientIP(r))
	if h.d.Billing.Audit == nil {
		return
	}
	e := panel.AuditEntry{UserID: p.UserID, Actor: p.UserID, Action: action, Target: "coupon:" + code,
		Outcome: panel.OutcomeOK, Detail: detail, IP: httpx.ClientIP(r)}
	if err := h.d.Billing.Audit.RecordAudit(context.WithoutCancel(r.Context()), e); err != nil {
		httpx.Logger(r.Context()).Error("admin: audit not recorded", "action", action, "err", err)
	}
}
