package billing

import (
	"net/http"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// BillingProfileRequest is the body of PUT /api/billing/profile.
type BillingProfileRequest struct {
	panel.BillingProfile
}

// Valid trims the fields and reports the bad ones.
func (b *BillingProfileRequest) Valid() map[string]string {
	b.Normalize()
	return b.BillingProfile.Valid()
}

// BillingProfileBody is the body of GET and PUT /api/billing/profile.
type BillingProfileBody struct {
	Profile panel.BillingProfile `json:"profile"`
}

func (h *handlers) invoicing() (panel.InvoiceStore, error) {
	if h.svc.Invoicing == nil {
		return nil, panel.Errorf(panel.EUNAVAILABLE, "Invoices are not set up.")
	}
	return h.svc.Invoicing, nil
}

// billingProfile serves GET /api/billing/profile.
func (h *handlers) billingProfile(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	st, err := h.invoicing()
	if err != nil {
		return err
	}
	b, err := st.BillingProfile(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, BillingProfileBody{Profile: *b})
}

// putBillingProfile serves PUT /api/billing/profile.
func (h *handlers) putBillingProfile(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	st, err := h.invoicing()
	if err != nil {
		return err
	}
	in, err := httpx.Decode[BillingProfileRequest](r)
	if err != nil {
		return err
	}
	if err := st.PutBillingProfile(r.Context(), p.UserID, in.BillingProfile); err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, BillingProfileBody{Profile: in.BillingProfile})
}
