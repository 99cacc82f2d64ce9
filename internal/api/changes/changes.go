// Package changes serves changing what a server pays for: its package
// (resize), its backup plan and its extra IPv4 addresses, and the
// operator's prices of those add-ons. They move money, so they belong to
// billing; the servers and admin functions mount them.
package changes

import (
	"net/http"
	"net/netip"
	"strconv"

	bill "github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// BackupPlanPriceRequest is the body of PUT /api/admin/backup-plans/{id}/price.
type BackupPlanPriceRequest struct {
	Name        string `json:"name"`
	HourlyMinor int64  `json:"hourlyMinor"`
}

// Handlers returns the customer's routes.
func Handlers(svc *bill.Service) httpx.Handlers {
	h := &handlers{svc: svc}
	return httpx.Handlers{
		"POST /api/servers/{id}/resize/preview": withBody(http.StatusOK, h.preview),
		"POST /api/servers/{id}/resize":         withBody(http.StatusOK, h.resize),
		"GET /api/servers/{id}/addons":          onServer(http.StatusOK, h.addons),
		"PUT /api/servers/{id}/backup-plan":     withBody(http.StatusOK, h.backupPlan),
		"POST /api/servers/{id}/ipv4":           onServer(http.StatusCreated, h.addIPv4),
		"DELETE /api/servers/{id}/ipv4/{ip}":    onServer(http.StatusOK, h.removeIPv4),
	}
}

// AdminHandlers returns the operator's add-on price routes.
func AdminHandlers(svc *bill.Service) httpx.Handlers {
	h := &handlers{svc: svc}
	return httpx.Handlers{
		"GET /api/admin/addon-prices":               httpx.HandlerFunc(h.prices),
		"PUT /api/admin/backup-plans/{id}/price":    httpx.HandlerFunc(h.setBackupPrice),
		"DELETE /api/admin/backup-plans/{id}/price": httpx.HandlerFunc(h.deleteBackupPrice),
		"PUT /api/admin/ipv4-price":                 httpx.HandlerFunc(h.setIPv4Price),
	}
}

type handlers struct{ svc *bill.Service }

// customer returns the signed-in customer and the server id of the path
// (a bad id is a server not found).
func customer(r *http.Request) (*panel.Principal, int64, error) {
	p := panel.PrincipalFrom(r.Context())
	if p == nil {
		return nil, 0, panel.Errorf(panel.EUNAUTHORIZED, "Please sign in.")
	}
	if err := panel.RequireVerifiedEmail(p); err != nil {
		return nil, 0, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, 0, panel.NotFound("server")
	}
	return p, id, nil
}

// onServer serves a route on one of the caller's servers: call gets the
// customer and the server id, and its result is encoded with status.
func onServer[T any](status int, call func(r *http.Request, p *panel.Principal, id int64) (T, error)) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, id, err := customer(r)
		if err != nil {
			return err
		}
		out, err := call(r, p, id)
		if err != nil {
			return err
		}
		return httpx.Encode(w, status, out)
	}
}

// withBody is onServer for a route with a JSON body of type B.
func withBody[B, T any](status int, call func(r *http.Request, p *panel.Principal, id int64, body B) (T, error)) httpx.HandlerFunc {
	return onServer(status, func(r *http.Request, p *panel.Principal, id int64) (T, error) {
		body, err := httpx.Decode[B](r)
		if err != nil {
			var zero T
			return zero, err
		}
		return call(r, p, id, body)
	})
}

func (h *handlers) preview(r *http.Request, p *panel.Principal, id int64, req bill.ResizeRequest) (*bill.ResizePreview, error) {
	return h.svc.PreviewResize(r.Context(), p, id, req)
}

func (h *handlers) resize(r *http.Request, p *panel.Principal, id int64, req bill.ResizeRequest) (*bill.ResizeResult, error) {
	return h.svc.Resize(r.Context(), p, id, r.Header.Get("Idempotency-Key"), req)
}

func (h *handlers) addons(r *http.Request, p *panel.Principal, id int64) (*bill.ServerAddons, error) {
	return h.svc.Addons(r.Context(), p, id)
}

func (h *handlers) backupPlan(r *http.Request, p *panel.Principal, id int64, req bill.BackupPlanRequest) (*bill.ServerAddons, error) {
	return h.svc.SetBackupPlan(r.Context(), p, id, req)
}

func (h *handlers) addIPv4(r *http.Request, p *panel.Principal, id int64) (*bill.ServerAddons, error) {
	return h.svc.AddIPv4(r.Context(), p, id)
}

func (h *handlers) removeIPv4(r *http.Request, p *panel.Principal, id int64) (*bill.ServerAddons, error) {
	ip, err := netip.ParseAddr(r.PathValue("ip"))
	if err != nil || !ip.Is4() {
		return nil, panel.NotFound("address")
	}
	return h.svc.RemoveIPv4(r.Context(), p, id, ip.String())
}

// operator returns the signed-in administrator.
func operator(r *http.Request) (*panel.Principal, error) {
	p := panel.PrincipalFrom(r.Context())
	if !p.IsAdmin() {
		return nil, panel.Errorf(panel.EFORBIDDEN, "This needs an administrator.")
	}
	return p, nil
}

func (h *handlers) prices(w http.ResponseWriter, r *http.Request) error {
	if _, err := operator(r); err != nil {
		return err
	}
	a, err := h.svc.Store.AddonPrices(r.Context())
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, a)
}

// audited answers an admin's change of the add-on prices and logs it with
// the prices before and after.
func (h *handlers) audited(w http.ResponseWriter, r *http.Request, what string, change func() (*panel.AddonPrices, error)) error {
	p, err := operator(r)
	if err != nil {
		return err
	}
	before, err := h.svc.Store.AddonPrices(r.Context())
	if err != nil {
		return err
	}
	after, err := change()
	if err != nil {
		return err
	}
	httpx.Logger(r.Context()).Info("audit: add-on price set", "admin", p.UserID, "adminEmail", p.Email, "what", what,
		"before", before, "after", after, "ip", httpx.ClientIP(r))
	return httpx.Encode(w, http.StatusOK, after)
}

func planID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, panel.NotFound("backup plan")
	}
	return id, nil
}

func (h *handlers) setBackupPrice(w http.ResponseWriter, r *http.Request) error {
	id, err := planID(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[BackupPlanPriceRequest](r)
	if err != nil {
		return err
	}
	return h.audited(w, r, "backup plan "+strconv.FormatInt(id, 10), func() (*panel.AddonPrices, error) {
		return h.svc.SetBackupPlanPrice(r.Context(), panel.BackupPlanPrice{PlanID: id, Name: req.Name, HourlyMinor: req.HourlyMinor})
	})
}

func (h *handlers) deleteBackupPrice(w http.ResponseWriter, r *http.Request) error {
	id, err := planID(r)
	if err != nil {
		return err
	}
	return h.audited(w, r, "backup plan "+strconv.FormatInt(id, 10)+" withdrawn", func() (*panel.AddonPrices, error) {
		return h.svc.DeleteBackupPlanPrice(r.Context(), id)
	})
}

func (h *handlers) setIPv4Price(w http.ResponseWriter, r *http.Request) error {
	req, err := httpx.Decode[panel.IPv4Price](r)
	if err != nil {
		return err
	}
	return h.audited(w, r, "extra IPv4", func() (*panel.AddonPrices, error) { return h.svc.SetIPv4Price(r.Context(), req) })
}
