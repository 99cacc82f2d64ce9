package billing

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// ResizeRequest is the body of POST /api/servers/{id}/resize and its preview.
type ResizeRequest struct {
	PackageID int64 `json:"packageId"`
}

// Valid reports the invalid fields of r.
func (r ResizeRequest) Valid() map[string]string {
	if r.PackageID <= 0 {
		return map[string]string{"packageId": "Choose a plan."}
	}
	return nil
}

// ResizePreview is what a package change does: the new price from the next
// hour on, what it charges now (the rest of this hour's difference, for an
// upgrade), the new monthly cap, and whether the server restarts or its
// disk grows.
type ResizePreview struct {
	FromPackageID       int64     `json:"fromPackageId"`
	ToPackageID         int64     `json:"toPackageId"`
	ToPackageName       string    `json:"toPackageName"`
	FromHourlyMinor     int64     `json:"fromHourlyMinor"`
	HourlyMinor         int64     `json:"hourlyMinor"`
	HourlyDiffMinor     int64     `json:"hourlyDiffMinor"`
	FromMonthlyCapMinor int64     `json:"fromMonthlyCapMinor"`
	MonthlyCapMinor     int64     `json:"monthlyCapMinor"`
	ChargeNowMinor      int64     `json:"chargeNowMinor"`
	EffectiveFrom       time.Time `json:"effectiveFrom"`
	RebootRequired      bool      `json:"rebootRequired"`
	DiskResize          bool      `json:"diskResize"`
	DiskFromGB          int64     `json:"diskFromGb"`
	DiskToGB            int64     `json:"diskToGb"`
	Currency            string    `json:"currency"`
}

// ResizeResult is the answer to POST /api/servers/{id}/resize.
type ResizeResult struct {
	Preview ResizePreview `json:"preview"`
	// Status is done, or pending while the change is being confirmed with
	// VirtFusion (the jobs function settles or undoes it).
	Status string `json:"status" enum:"done,pending"`
}

// resizeSettleAfter is how old a pending change must be before a retry or
// the jobs function decides it from VirtFusion's state: longer than any
// VirtFusion call, so the request that made it is over.
const resizeSettleAfter = 2 * time.Minute

// ownedServer returns p's active billed server id; a foreign or unknown
// one is not found.
func (s *Service) ownedServer(ctx context.Context, p *panel.Principal, id int64) (*panel.BilledServer, error) {
	bs, err := s.Store.BilledServer(ctx, id)
	if isCode(err, panel.ENOTFOUND) || (err == nil && bs.UserID != p.UserID) {
		return nil, panel.NotFound("server")
	}
	if err != nil {
		return nil, err
	}
	if bs.Status != panel.BilledActive {
		return nil, panel.Errorf(panel.ECONFLICT, "This server is no longer billed; it cannot be changed.")
	}
	return bs, nil
}

// PreviewResize tells what moving server id to req.PackageID would do.
// Downgrades whose disk is smaller than the server's are refused: disks
// never shrink.
func (s *Service) PreviewResize(ctx context.Context, p *panel.Principal, id int64, req ResizeRequest) (*ResizePreview, error) {
	bs, err := s.ownedServer(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return s.previewResize(ctx, bs, req)
}

func (s *Service) previewResize(ctx context.Context, bs *panel.BilledServer, req ResizeRequest) (*ResizePreview, error) {
	if bad := req.Valid(); bad != nil {
		return nil, panel.Invalid(bad)
	}
	if req.PackageID == bs.PackageID {
		return nil, panel.Invalid(map[string]string{"packageId": "This is the server's plan already."})
	}
	prices, err := s.Store.Prices(ctx)
	if err != nil {
		return nil, err
	}
	price, ok := prices[req.PackageID]
	if !ok {
		return nil, panel.Invalid(map[string]string{"packageId": "This plan is not for sale."})
	}
	pkgs, err := s.Changes.Packages(ctx)
	if err != nil {
		return nil, err
	}
	var to *panel.Package
	for i := range pkgs {
		if pkgs[i].ID == req.PackageID {
			to = &pkgs[i]
		}
	}
	if to == nil {
		return nil, panel.Invalid(map[string]string{"packageId": "This plan is not for sale."})
	}
	res, err := s.Changes.ServerResources(ctx, bs.ServerID)
	if isCode(err, panel.ENOTFOUND) {
		return nil, panel.NotFound("server")
	}
	if err != nil {
		return nil, err
	}
	if to.StorageGB < res.StorageGB {
		return nil, panel.Invalid(map[string]string{"packageId": fmt.Sprintf(
			"%s has a %d GB disk, smaller than this server's %d GB. Disks cannot shrink: choose a plan with at least %d GB.",
			to.Name, to.StorageGB, res.StorageGB, res.StorageGB)})
	}
	now := s.now()
	pv := &ResizePreview{FromPackageID: bs.PackageID, ToPackageID: to.ID, ToPackageName: to.Name,
		FromHourlyMinor: bs.HourlyMinor, HourlyMinor: price.HourlyMinor, HourlyDiffMinor: price.HourlyMinor - bs.HourlyMinor,
		FromMonthlyCapMinor: bs.MonthlyCapMinor, MonthlyCapMinor: price.MonthlyCapMinor,
		EffectiveFrom:  now.Truncate(time.Hour).Add(time.Hour),
		RebootRequired: to.CPUCores != res.CPUCores || to.MemoryMB != res.MemoryMB,
		DiskResize:     to.StorageGB > res.StorageGB, DiskFromGB: res.StorageGB, DiskToGB: to.StorageGB, Currency: s.Currency}
	if pv.HourlyDiffMinor > 0 {
		// The hour under way was charged at the old price: an upgrade pays
		// the difference now, within the new cap.
		charged := int64(0)
		if bs.CapMonth == now.Format("2006-01") {
			charged = bs.CapChargedMinor
		}
		pv.ChargeNowMinor = pv.HourlyDiffMinor
		if price.MonthlyCapMinor > 0 {
			pv.ChargeNowMinor = max(0, min(pv.ChargeNowMinor, price.MonthlyCapMinor-charged))
		}
	}
	return pv, nil
}

// Resize moves server id to another package as a saga: reserve (the
// pending change, and an upgrade's charge, on the condition that the
// balance covers OrderPrepayHours of the new plan), VirtFusion, settle
// (the new price from the next hour). A refusal by VirtFusion undoes the
// reserve (the charge reversed, once); when VirtFusion's answer is lost, its
// state decides. key makes retries safe.
func (s *Service) Resize(ctx context.Context, p *panel.Principal, id int64, key string, req ResizeRequest) (*ResizeResult, error) {
	if key == "" || len(key) > 200 {
		return nil, panel.Invalid(map[string]string{"Idempotency-Key": "Send an Idempotency-Key header of 1 to 200 characters."})
	}
	bs, err := s.ownedServer(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if r := bs.Resize; r != nil {
		if r.Key != key {
			return nil, &panel.Error{Code: panel.ECONFLICT, Message: "Another plan change of this server is in progress.", RetryAfter: 5}
		}
		if s.now().Sub(r.At) < resizeSettleAfter {
			return nil, &panel.Error{Code: panel.ECONFLICT, Message: "This plan change is still being made.", RetryAfter: 5}
		}
		return s.decideResize(ctx, bs, p.UserID)
	}
	pv, err := s.previewResize(ctx, bs, req)
	if err != nil {
		if req.PackageID == bs.PackageID && !bs.PriceFrom.IsZero() { // a replay of a change made
			return &ResizeResult{Preview: ResizePreview{FromPackageID: bs.PackageID, ToPackageID: bs.PackageID, HourlyMinor: bs.HourlyMinor,
				MonthlyCapMinor: bs.MonthlyCapMinor, EffectiveFrom: bs.PriceFrom, Currency: s.Currency}, Status: "done"}, nil
		}
		return nil, err
	}
	now := s.now()
	r := panel.PendingResize{Key: key, FromPackageID: bs.PackageID, PackageID: pv.ToPackageID, HourlyMinor: pv.HourlyMinor,
		MonthlyCapMinor: pv.MonthlyCapMinor, ChargedMinor: pv.ChargeNowMinor, At: now}
	var post *panel.Posting
	if pv.HourlyDiffMinor > 0 {
		need := pv.HourlyMinor * int64(max(s.OrderPrepayHours, 1))
		post = &panel.Posting{UserID: p.UserID, Type: panel.EntryCharge, AmountMinor: -pv.ChargeNowMinor, Currency: s.Currency,
			Description: fmt.Sprintf("%s: upgrade to %s (rest of the hour from %s UTC)", bs.Name, pv.ToPackageName, now.Truncate(time.Hour).Format("15:04")),
			Ref:         serverRef(id), IdemKey: resizeKey(panel.IdemResize, id, key), At: now, RequireBalanceMinor: need,
			Fingerprint: panel.Fingerprint(req)}
		if pv.ChargeNowMinor == 0 {
			post.AmountMinor = 0 // the cap absorbs it: the entry still holds the balance rule
		}
	}
	if _, err := s.Store.ReserveResize(ctx, id, r, post); err != nil {
		if isCode(err, panel.EPAYMENTREQUIRED) {
			bal, berr := s.Store.Balance(ctx, p.UserID)
			if berr == nil {
				err = panel.Errorf(panel.EPAYMENTREQUIRED, "Your balance (%s) must cover %d hours of the new plan (%s). Please add funds.",
					config.FormatMoney(bal.BalanceMinor), max(s.OrderPrepayHours, 1), config.FormatMoney(post.RequireBalanceMinor))
			}
		}
		// Not definite (the write may have happened): a pending change is
		// left for the jobs function, which undoes it (VirtFusion was not asked).
		s.auditResize(ctx, p.UserID, bs, pv, err)
		return nil, err
	}
	vfErr := s.Changes.ChangePackage(ctx, id, pv.ToPackageID)
	if vfErr != nil && definiteUpstream(vfErr) {
		if _, err := s.undoResize(ctx, bs, r, p.UserID); err != nil {
			s.log(ctx).Error("billing: undo refused plan change; the jobs function will", "server", id, "err", err)
		}
		s.auditResize(ctx, p.UserID, bs, pv, vfErr)
		return nil, vfErr
	}
	if vfErr != nil {
		// VirtFusion's answer was lost: its state says whether it changed.
		s.log(ctx).Warn("billing: plan change answer lost; asking VirtFusion", "server", id, "err", vfErr)
		bs.Resize = &r
		res, err := s.decideResize(ctx, bs, p.UserID)
		if err != nil {
			return nil, err
		}
		if res.Status != "done" {
			return nil, vfErr
		}
		return res, nil
	}
	status := "done"
	if _, err := s.Store.SettleResize(ctx, id, key, pv.EffectiveFrom); err != nil {
		// VirtFusion changed the server; the retry or the jobs function settles.
		s.log(ctx).Error("billing: settle plan change; left pending", "server", id, "err", err)
		status = "pending"
	}
	s.auditResize(ctx, p.UserID, bs, pv, nil)
	s.log(ctx).Info("billing: plan changed", "user", p.UserID, "server", id, "from", bs.PackageID, "to", pv.ToPackageID)
	return &ResizeResult{Preview: *pv, Status: status}, nil
}

func resizeKey(ns string, id int64, key string) string {
	return ns + strconv.FormatInt(id, 10) + "#" + key
}

// definiteUpstream reports a VirtFusion error that says for sure the
// change was not made (a refusal), unlike a lost answer.
func definiteUpstream(err error) bool {
	switch panel.ErrorCode(err) {
	case panel.EINVALID, panel.ECONFLICT, panel.ENOTFOUND, panel.ESERVERBUSY, panel.ESERVERSUSPENDED:
		return true
	}
	return false
}

// decideResize finishes a pending change from VirtFusion's state: settled
// when the server has the new package's CPU and memory, undone otherwise.
func (s *Service) decideResize(ctx context.Context, bs *panel.BilledServer, userID string) (*ResizeResult, error) {
	r := *bs.Resize
	pv := ResizePreview{FromPackageID: r.FromPackageID, ToPackageID: r.PackageID, FromHourlyMinor: bs.HourlyMinor,
		HourlyMinor: r.HourlyMinor, HourlyDiffMinor: r.HourlyMinor - bs.HourlyMinor, FromMonthlyCapMinor: bs.MonthlyCapMinor,
		MonthlyCapMinor: r.MonthlyCapMinor, ChargeNowMinor: r.ChargedMinor, EffectiveFrom: r.At.Truncate(time.Hour).Add(time.Hour),
		Currency: s.Currency}
	applied := false
	res, err := s.Changes.ServerResources(ctx, bs.ServerID)
	switch {
	case isCode(err, panel.ENOTFOUND):
	case err != nil:
		return nil, err
	default:
		pkgs, err := s.Changes.Packages(ctx)
		if err != nil {
			return nil, err
		}
		for _, pk := range pkgs {
			if pk.ID == r.PackageID {
				pv.ToPackageName = pk.Name
				applied = pk.CPUCores == res.CPUCores && pk.MemoryMB == res.MemoryMB && res.StorageGB >= pk.StorageGB
			}
		}
	}
	if !applied {
		if _, err := s.undoResize(ctx, bs, r, userID); err != nil {
			return nil, err
		}
		err := panel.Errorf(panel.EUPSTREAM, "The plan change did not go through; anything charged for it is refunded.")
		s.auditResize(ctx, userID, bs, &pv, err)
		return nil, err
	}
	if _, err := s.Store.SettleResize(ctx, bs.ServerID, r.Key, pv.EffectiveFrom); err != nil && !isCode(err, panel.ECONFLICT) {
		return nil, err
	}
	s.auditResize(ctx, userID, bs, &pv, nil)
	return &ResizeResult{Preview: pv, Status: "done"}, nil
}

// undoResize forgets a pending change and reverses its charge, once.
func (s *Service) undoResize(ctx context.Context, bs *panel.BilledServer, r panel.PendingResize, userID string) (bool, error) {
	var post *panel.Posting
	if r.ChargedMinor > 0 {
		post = &panel.Posting{UserID: userID, Type: panel.EntryReversal, AmountMinor: r.ChargedMinor, Currency: s.Currency,
			Description: bs.Name + ": plan change failed, charge reversed", Ref: serverRef(bs.ServerID),
			IdemKey: resizeKey(panel.IdemResizeUndo, bs.ServerID, r.Key), At: s.now()}
	}
	return s.Store.UndoResize(ctx, bs.ServerID, r.Key, post)
}

// SettleResizes decides every package change left pending longer than
// resizeSettleAfter (its request died, or DynamoDB was lost mid-way).
func (s *Service) SettleResizes(ctx context.Context) (decided int, err error) {
	servers, err := s.Store.ActiveServers(ctx)
	if err != nil {
		return 0, err
	}
	var firstErr error
	for _, bs := range servers {
		if bs.Resize == nil || s.now().Sub(bs.Resize.At) < resizeSettleAfter {
			continue
		}
		fresh, err := s.Store.BilledServer(ctx, bs.ServerID)
		if err == nil && fresh.Resize != nil {
			_, err = s.decideResize(ctx, fresh, fresh.UserID)
			if isCode(err, panel.EUPSTREAM) {
				err = nil // undone: the refund is the outcome
			}
		}
		if err != nil {
			firstErr = err
			continue
		}
		decided++
	}
	return decided, firstErr
}

// auditResize records a plan change (or its failure) in the customer's
// activity, with the plans and prices before and after.
func (s *Service) auditResize(ctx context.Context, userID string, bs *panel.BilledServer, pv *ResizePreview, err error) {
	if s.Audit == nil {
		return
	}
	e := panel.AuditEntry{UserID: userID, Actor: userID, Action: panel.ActServerResize, Target: serverRef(bs.ServerID), Outcome: panel.OutcomeOK,
		Detail: fmt.Sprintf("plan %d → %d, %s → %s an hour", pv.FromPackageID, pv.ToPackageID,
			Money(pv.FromHourlyMinor, s.Currency), Money(pv.HourlyMinor, s.Currency))}
	if err != nil {
		e.Outcome, e.Detail = panel.OutcomeError, e.Detail+": "+panel.ErrorMessage(err)
	}
	if aerr := s.Audit.RecordAudit(ctx, e); aerr != nil {
		s.log(ctx).Error("billing: audit plan change", "server", bs.ServerID, "err", aerr)
	}
}
