// Package admin serves the admin function: customers with their balances,
// servers and ledgers, audited balance adjustments, and package prices.
package admin

import (
	"context"
	"net/http"
	"strconv"
	"time"

	bill "github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Users is the part of the accounts store the admin views read.
type Users interface {
	User(ctx context.Context, id string) (*panel.User, error)
	Users(ctx context.Context, cursor string, limit int) ([]*panel.User, string, error)
}

// Deps are the admin function's dependencies. UserServers, when set,
// lists a VirtFusion user's servers for the user view; Server looks one
// server up when that list is unavailable.
type Deps struct {
	Billing     *bill.Service
	Users       Users
	UserServers func(ctx context.Context, vfUserID int64) ([]*panel.Server, error)
	Server      func(ctx context.Context, id int64) (*panel.Server, error)
}

// ServerBilling is billing's view of a server, shown to administrators.
type ServerBilling struct {
	Status          string     `json:"status" enum:"active,stopped"`
	HourlyMinor     int64      `json:"hourlyMinor"`
	MonthlyCapMinor int64      `json:"monthlyCapMinor"`
	ActiveSince     time.Time  `json:"activeSince"`
	BilledThrough   time.Time  `json:"billedThrough"`
	StoppedAt       *time.Time `json:"stoppedAt"`
	StopReason      string     `json:"stopReason,omitempty"`
	Suspended       bool       `json:"suspended"`
}

// AdminServer is a ServerSummary plus its billing state (null for a
// server billing does not know: made outside the panel).
type AdminServer struct {
	*panel.Server
	Billing *ServerBilling `json:"billing"`
}

// Adjusted is the body of POST /api/admin/users/{id}/adjustments.
type Adjusted struct {
	Entry        panel.LedgerEntry `json:"entry"`
	BalanceMinor int64             `json:"balanceMinor"`
}

// PriceBody is the body of PUT /api/admin/packages/{id}/price.
type PriceBody struct {
	Price panel.Price `json:"price"`
}

// AdjustmentRequest is the body of POST /api/admin/users/{id}/adjustments.
type AdjustmentRequest struct {
	AmountMinor int64  `json:"amountMinor"`
	Reason      string `json:"reason"`
}

// PriceRequest is the body of PUT /api/admin/packages/{id}/price.
type PriceRequest struct {
	HourlyMinor     int64 `json:"hourlyMinor"`
	MonthlyCapMinor int64 `json:"monthlyCapMinor"`
}

func admin(r *http.Request) (*panel.Principal, error) {
	p := panel.PrincipalFrom(r.Context())
	if !p.IsAdmin() {
		return nil, panel.Errorf(panel.EFORBIDDEN, "This needs an administrator.")
	}
	return p, nil
}

// Handlers returns the admin function's routes.
func Handlers(d Deps) httpx.Handlers {
	h := &handlers{d: d}
	return httpx.Merge(h.couponHandlers(), httpx.Handlers{
		"POST /api/admin/users/{id}/adjustments": httpx.HandlerFunc(h.adjust),
		"PUT /api/admin/packages/{id}/price":     httpx.HandlerFunc(h.setPrice),
	})
}

// handlers serves the admin routes.
type handlers struct{ d Deps }

// adjust serves POST /api/admin/users/{id}/adjustments.
func (h *handlers) adjust(w http.ResponseWriter, r *http.Request) error {
	p, err := admin(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[AdjustmentRequest](r)
	if err != nil {
		return err
	}
	u, err := h.d.Users.User(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		// Without a key a retried request would move the money twice.
		return panel.Invalid(map[string]string{"Idempotency-Key": "header is required"})
	}
	e, bal, err := h.d.Billing.Adjust(r.Context(), p.UserID, u.ID, req.AmountMinor, req.Reason, key)
	if err != nil {
		return err
	}
	httpx.Logger(r.Context()).Info("audit: balance adjustment", "admin", p.UserID, "adminEmail", p.Email,
		"user", u.ID, "amountMinor", req.AmountMinor, "reason", req.Reason, "entry", e.ID, "ip", httpx.ClientIP(r))
	if h.d.Billing.Audit != nil {
		if err := h.d.Billing.Audit.RecordAudit(context.WithoutCancel(r.Context()), panel.AuditEntry{UserID: u.ID, Actor: p.UserID,
			Action: panel.ActAdminUserAdjust, Target: "ledger:" + e.ID, Outcome: panel.OutcomeOK, Detail: req.Reason, IP: httpx.ClientIP(r),
			Before: compact(map[string]int64{"balanceMinor": bal - req.AmountMinor}), After: compact(map[string]int64{"balanceMinor": bal})}); err != nil {
			return err
		}
	}
	return httpx.Encode(w, http.StatusCreated, Adjusted{Entry: *e, BalanceMinor: bal})
}

// setPrice serves PUT /api/admin/packages/{id}/price.
func (h *handlers) setPrice(w http.ResponseWriter, r *http.Request) error {
	p, err := admin(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return panel.NotFound("package")
	}
	req, err := httpx.Decode[PriceRequest](r)
	if err != nil {
		return err
	}
	price, err := h.d.Billing.SetPrice(r.Context(), id, panel.Price{HourlyMinor: req.HourlyMinor, MonthlyCapMinor: req.MonthlyCapMinor})
	if err != nil {
		return err
	}
	httpx.Logger(r.Context()).Info("audit: package price set", "admin", p.UserID, "package", id,
		"hourlyMinor", price.HourlyMinor, "monthlyCapMinor", price.MonthlyCapMinor)
	return httpx.Encode(w, http.StatusOK, PriceBody{Price: *price})
}

// userServers is the user view's server list: the user's servers in
// VirtFusion (by their VirtFusion user id, one call), each with billing's
// record when it has one, then the billed servers VirtFusion no longer
// lists (stopped ones, as history). When the VirtFusion list fails, the
// billed servers are shown, each looked up on its own.
func userServers(ctx context.Context, d Deps, u *panel.User) ([]AdminServer, error) {
	billed, err := d.Billing.Store.UserServers(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*panel.BilledServer, len(billed))
	for _, b := range billed {
		byID[b.ServerID] = b
	}
	out := make([]AdminServer, 0, len(billed))
	listed := map[int64]bool{}
	if d.UserServers != nil && u.VFUserID > 0 {
		live, err := d.UserServers(ctx, u.VFUserID)
		if err != nil {
			httpx.Logger(ctx).Warn("admin: VirtFusion servers of user unavailable", "user", u.ID, "vfUser", u.VFUserID, "err", err)
		} else {
			for _, s := range live {
				listed[s.ID] = true
				out = append(out, withBilling(s, byID[s.ID]))
			}
		}
		if err == nil {
			for _, b := range billed {
				if !listed[b.ServerID] {
					out = append(out, withBilling(billedSummary(b), b))
				}
			}
			return out, nil
		}
	}
	for _, b := range billed {
		out = append(out, adminServer(ctx, d, b))
	}
	return out, nil
}

// adminServer merges a billed server with its live summary when one can be
// read; a server VirtFusion cannot show is listed from billing's record.
func adminServer(ctx context.Context, d Deps, s *panel.BilledServer) AdminServer {
	var sum *panel.Server
	if d.Server != nil && s.Status == panel.BilledActive {
		if got, err := d.Server(ctx, s.ServerID); err == nil {
			sum = got
		}
	}
	if sum == nil {
		sum = billedSummary(s)
	}
	return withBilling(sum, s)
}

// billedSummary is a server as billing's record knows it.
func billedSummary(s *panel.BilledServer) *panel.Server {
	return &panel.Server{ID: s.ServerID, Name: s.Name, Provisioning: panel.ProvisionComplete, Power: panel.PowerUnknown,
		Package: &panel.ServerPackage{ID: s.PackageID}, IPv4: []string{}, IPv6: []string{}, CreatedAt: s.ActiveSince, Stale: true}
}

// withBilling adds billing's state (s may be nil) to a summary; the package
// billing recorded at the order beats the one guessed from resources.
func withBilling(sum *panel.Server, s *panel.BilledServer) AdminServer {
	if s == nil {
		return AdminServer{Server: sum}
	}
	if s.PackageID > 0 && (sum.Package == nil || sum.Package.ID != s.PackageID) {
		sum.Package = &panel.ServerPackage{ID: s.PackageID}
	}
	b := &ServerBilling{Status: s.Status, HourlyMinor: s.HourlyMinor, MonthlyCapMinor: s.MonthlyCapMinor,
		ActiveSince: s.ActiveSince, BilledThrough: s.BilledThrough, StopReason: s.StopReason, Suspended: s.Suspended}
	if !s.StoppedAt.IsZero() {
		t := s.StoppedAt
		b.StoppedAt = &t
	}
	return AdminServer{Server: sum, Billing: b}
}
