package billing

import (
	"net/http"

	"github.com/vfpanel/vfpanel/internal/httpx"
)

// AutoTopupRequest is the body of PUT /api/billing/auto-topup.
type AutoTopupRequest struct {
	Enabled        bool  `json:"enabled"`
	ThresholdMinor int64 `json:"thresholdMinor"`
	AmountMinor    int64 `json:"amountMinor"`
}

// VaultStarted is the answer to POST /api/billing/auto-topup/setup: where
// the customer approves saving their PayPal account.
type VaultStarted struct {
	ApproveURL string `json:"approveUrl"`
}

// autoTopupHandlers are the auto top-up routes (issue 19, promo).
func (h *handlers) autoTopupHandlers() httpx.Handlers {
	return httpx.Handlers{
		"GET /api/billing/auto-topup":                        httpx.HandlerFunc(h.getAutoTopup),
		"PUT /api/billing/auto-topup":                        httpx.HandlerFunc(h.putAutoTopup),
		"DELETE /api/billing/auto-topup":                     httpx.HandlerFunc(h.deleteAutoTopup),
		"POST /api/billing/auto-topup/setup":                 httpx.HandlerFunc(h.startVault),
		"POST /api/billing/auto-topup/setup/{token}/confirm": httpx.HandlerFunc(h.confirmVault),
	}
}

func (h *handlers) getAutoTopup(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	v, err := h.svc.AutoTopup(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, v)
}

func (h *handlers) putAutoTopup(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[AutoTopupRequest](r)
	if err != nil {
		return err
	}
	v, err := h.svc.SetAutoTopup(r.Context(), p.UserID, req.Enabled, req.ThresholdMinor, req.AmountMinor)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, v)
}

func (h *handlers) deleteAutoTopup(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	if err := h.svc.RemoveAutoTopup(r.Context(), p.UserID); err != nil {
		return err
	}
	v, err := h.svc.AutoTopup(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, v)
}

func (h *handlers) startVault(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	u, err := h.svc.StartAutoTopupSetup(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusCreated, VaultStarted{ApproveURL: u})
}

func (h *handlers) confirmVault(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	v, err := h.svc.ConfirmAutoTopupSetup(r.Context(), p.UserID, r.PathValue("token"))
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, v)
}
