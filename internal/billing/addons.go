package billing

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Add-ons: a backup plan and extra IPv4 addresses per server, priced by
// the operator per hour and charged in the hourly run with the server, each
// as a ledger line of its own. The billed server records them first (so a
// customer never has one unpaid), then VirtFusion; a refusal puts the
// record back.

// ServerAddons is GET /api/servers/{id}/addons: the server's add-ons and
// what can be added.
type ServerAddons struct {
	BackupPlanID      int64                   `json:"backupPlanId"` // 0: none
	BackupPlans       []panel.BackupPlanPrice `json:"backupPlans"`  // priced plans to choose from
	IPv4              []string                `json:"ipv4"`         // every public address, the primary first
	ExtraIPv4         []string                `json:"extraIpv4"`    // the added ones (removable)
	PendingIPv4       int64                   `json:"pendingIpv4"`  // added, not assigned yet
	IPv4Price         panel.IPv4Price         `json:"ipv4Price"`
	AddonsHourlyMinor int64                   `json:"addonsHourlyMinor"`
	Currency          string                  `json:"currency"`
}

// BackupPlanRequest is the body of PUT /api/servers/{id}/backup-plan.
type BackupPlanRequest struct {
	PlanID int64 `json:"planId"` // 0 removes the plan
}

// Valid reports the invalid fields.
func (r BackupPlanRequest) Valid() map[string]string {
	if r.PlanID < 0 {
		return map[string]string{"planId": "Choose a backup plan."}
	}
	return nil
}

// addonCharges are the add-on lines of one hour of sv: an hour before
// sv.AddonsFrom (the hour of a change, or one a late run catches up on) is
// charged with the add-ons in effect at the start of the change's hour.
func addonCharges(sv *panel.BilledServer, hour time.Time) []panel.AddonCharge {
	var out []panel.AddonCharge
	at := hour.UTC().Format("2006-01-02 15:04")
	plan, backup, n, perIP := sv.BackupPlanID, sv.BackupHourlyMinor, sv.IPv4Count, sv.IPv4HourlyMinor
	if hour.Before(sv.AddonsFrom) {
		plan, backup, n, perIP = sv.PrevBackupPlanID, sv.PrevBackupHourlyMinor, sv.PrevIPv4Count, sv.PrevIPv4HourlyMinor
	}
	if plan > 0 && backup > 0 {
		out = append(out, panel.AddonCharge{Kind: "backup", AmountMinor: backup,
			Description: fmt.Sprintf("%s: backup plan, %s UTC", sv.Name, at)})
	}
	if n > 0 && perIP > 0 {
		out = append(out, panel.AddonCharge{Kind: "ipv4", AmountMinor: n * perIP,
			Description: fmt.Sprintf("%s: %d extra IPv4, %s UTC", sv.Name, n, at)})
	}
	return out
}

// Addons returns server id's add-ons.
func (s *Service) Addons(ctx context.Context, p *panel.Principal, id int64) (*ServerAddons, error) {
	bs, err := s.ownedServer(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return s.addonsOf(ctx, bs)
}

func (s *Service) addonsOf(ctx context.Context, bs *panel.BilledServer) (*ServerAddons, error) {
	prices, err := s.Store.AddonPrices(ctx)
	if err != nil {
		return nil, err
	}
	ips, err := s.Changes.ServerIPv4(ctx, bs.ServerID)
	if err != nil {
		return nil, err
	}
	extra := bs.IPv4Extra
	if extra == nil {
		extra = []string{}
	}
	return &ServerAddons{BackupPlanID: bs.BackupPlanID, BackupPlans: prices.BackupPlans, IPv4: ips, ExtraIPv4: extra,
		PendingIPv4: bs.IPv4Count - int64(len(bs.IPv4Extra)), IPv4Price: prices.IPv4,
		AddonsHourlyMinor: bs.AddonsHourlyMinor(), Currency: s.Currency}, nil
}

// SetBackupPlan picks (or with 0 removes) server id's backup plan.
func (s *Service) SetBackupPlan(ctx context.Context, p *panel.Principal, id int64, req BackupPlanRequest) (*ServerAddons, error) {
	if bad := req.Valid(); bad != nil {
		return nil, panel.Invalid(bad)
	}
	bs, err := s.ownedServer(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if req.PlanID == bs.BackupPlanID {
		return s.addonsOf(ctx, bs)
	}
	price := int64(0)
	if req.PlanID > 0 {
		prices, err := s.Store.AddonPrices(ctx)
		if err != nil {
			return nil, err
		}
		i := slices.IndexFunc(prices.BackupPlans, func(b panel.BackupPlanPrice) bool { return b.PlanID == req.PlanID })
		if i < 0 {
			return nil, panel.Invalid(map[string]string{"planId": "This backup plan is not offered."})
		}
		price = prices.BackupPlans[i].HourlyMinor
	}
	nb, err := s.Store.SetBackupPlan(ctx, s.now(), id, bs.BackupPlanID, req.PlanID, price)
	if err != nil {
		return nil, err
	}
	if err := s.Changes.SetBackupPlan(ctx, id, req.PlanID); err != nil {
		if _, rerr := s.Store.SetBackupPlan(ctx, s.now(), id, req.PlanID, bs.BackupPlanID, bs.BackupHourlyMinor); rerr != nil {
			s.log(ctx).Error("billing: put back backup plan after VirtFusion refused", "server", id, "err", rerr)
		}
		s.auditServer(ctx, p.UserID, panel.ActServerBackupPlan, id, fmt.Sprintf("plan %d → %d", bs.BackupPlanID, req.PlanID), err)
		return nil, err
	}
	s.auditServer(ctx, p.UserID, panel.ActServerBackupPlan, id, fmt.Sprintf("plan %d → %d, %s an hour", bs.BackupPlanID, req.PlanID,
		Money(price, s.Currency)), nil)
	return s.addonsOf(ctx, nb)
}

// AddIPv4 adds one IPv4 address to server id. The per-server maximum is
// the condition of the write that starts charging it.
func (s *Service) AddIPv4(ctx context.Context, p *panel.Principal, id int64) (*ServerAddons, error) {
	if _, err := s.ownedServer(ctx, p, id); err != nil {
		return nil, err
	}
	prices, err := s.Store.AddonPrices(ctx)
	if err != nil {
		return nil, err
	}
	if prices.IPv4.MaxPerServer <= 0 || prices.IPv4.HourlyMinor <= 0 {
		return nil, panel.Errorf(panel.ECONFLICT, "Extra IPv4 addresses are not offered.")
	}
	if _, err := s.Store.ReserveIPv4(ctx, s.now(), id, prices.IPv4.MaxPerServer, prices.IPv4.HourlyMinor); err != nil {
		return nil, err
	}
	ips, err := s.Changes.AddIPv4(ctx, id, 1)
	if err != nil {
		if _, rerr := s.Store.ReleaseIPv4(ctx, s.now(), id, ""); rerr != nil {
			s.log(ctx).Error("billing: release IPv4 slot after VirtFusion failed", "server", id, "err", rerr)
		}
		s.auditServer(ctx, p.UserID, panel.ActServerIPv4Add, id, "", err)
		return nil, err
	}
	nb, err := s.Store.AssignIPv4(ctx, id, ips)
	if err != nil {
		return nil, err
	}
	s.auditServer(ctx, p.UserID, panel.ActServerIPv4Add, id, fmt.Sprintf("%v at %s an hour", ips, Money(prices.IPv4.HourlyMinor, s.Currency)), nil)
	return s.addonsOf(ctx, nb)
}

// RemoveIPv4 takes an added address off server id; charging stops first.
func (s *Service) RemoveIPv4(ctx context.Context, p *panel.Principal, id int64, ip string) (*ServerAddons, error) {
	bs, err := s.ownedServer(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(bs.IPv4Extra, ip) {
		return nil, panel.NotFound("address")
	}
	nb, err := s.Store.ReleaseIPv4(ctx, s.now(), id, ip)
	if err != nil {
		return nil, err
	}
	if err := s.Changes.RemoveIPv4(ctx, id, []string{ip}); err != nil {
		// The address stays: charge it again.
		if _, rerr := s.Store.ReserveIPv4(ctx, s.now(), id, nb.IPv4Count+1, bs.IPv4HourlyMinor); rerr != nil {
			s.log(ctx).Error("billing: recharge IPv4 after VirtFusion refused removal", "server", id, "err", rerr)
		} else if _, rerr := s.Store.AssignIPv4(ctx, id, []string{ip}); rerr != nil {
			s.log(ctx).Error("billing: record IPv4 after VirtFusion refused removal", "server", id, "err", rerr)
		}
		s.auditServer(ctx, p.UserID, panel.ActServerIPv4Remove, id, ip, err)
		return nil, err
	}
	s.auditServer(ctx, p.UserID, panel.ActServerIPv4Remove, id, ip, nil)
	return s.addonsOf(ctx, nb)
}

// auditServer records a customer's change of a server in their activity.
func (s *Service) auditServer(ctx context.Context, userID string, action panel.ActivityKind, id int64, detail string, err error) {
	if s.Audit == nil {
		return
	}
	e := panel.AuditEntry{UserID: userID, Actor: userID, Action: action, Target: serverRef(id), Outcome: panel.OutcomeOK, Detail: detail}
	if err != nil {
		e.Outcome, e.Detail = panel.OutcomeError, detail+": "+panel.ErrorMessage(err)
	}
	if aerr := s.Audit.RecordAudit(ctx, e); aerr != nil {
		s.log(ctx).Error("billing: audit", "action", action, "server", id, "err", aerr)
	}
}

// SetBackupPlanPrice prices (or renames) a VirtFusion backup plan (admin).
func (s *Service) SetBackupPlanPrice(ctx context.Context, p panel.BackupPlanPrice) (*panel.AddonPrices, error) {
	bad := map[string]string{}
	if p.PlanID <= 0 {
		bad["planId"] = "Enter the backup plan's id in VirtFusion."
	}
	if n := len([]rune(p.Name)); n < 1 || n > 60 {
		bad["name"] = "Enter a name of 1 to 60 characters."
	}
	if p.HourlyMinor <= 0 || p.HourlyMinor > panel.MaxAmountMinor/(24*31) {
		bad["hourlyMinor"] = "Enter a price above zero."
	}
	if len(bad) > 0 {
		return nil, panel.Invalid(bad)
	}
	if err := s.Store.SetBackupPlanPrice(ctx, p); err != nil {
		return nil, err
	}
	return s.Store.AddonPrices(ctx)
}

// DeleteBackupPlanPrice stops offering a backup plan (admin). Servers
// that have it keep it, at the price they chose it at.
func (s *Service) DeleteBackupPlanPrice(ctx context.Context, planID int64) (*panel.AddonPrices, error) {
	if err := s.Store.DeleteBackupPlanPrice(ctx, planID); err != nil {
		return nil, err
	}
	return s.Store.AddonPrices(ctx)
}

// SetIPv4Price sets the extra IPv4 price and per-server maximum (admin).
func (s *Service) SetIPv4Price(ctx context.Context, p panel.IPv4Price) (*panel.AddonPrices, error) {
	bad := map[string]string{}
	if p.MaxPerServer < 0 || p.MaxPerServer > 16 {
		bad["maxPerServer"] = "Enter 0 (none sold) to 16."
	}
	if p.HourlyMinor < 0 || p.HourlyMinor > panel.MaxAmountMinor/(24*31*16) || (p.MaxPerServer > 0 && p.HourlyMinor == 0) {
		bad["hourlyMinor"] = fmt.Sprintf("Enter a price above zero and at most %s.", config.FormatMoney(panel.MaxAmountMinor/(24*31*16)))
	}
	if len(bad) > 0 {
		return nil, panel.Invalid(bad)
	}
	if err := s.Store.SetIPv4Price(ctx, p); err != nil {
		return nil, err
	}
	return s.Store.AddonPrices(ctx)
}
