package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// OrderRequest is the body of POST /api/servers.
type OrderRequest struct {
	PackageID  int64   `json:"packageId"`
	LocationID int64   `json:"locationId"`
	TemplateID int64   `json:"templateId"`
	Hostname   string  `json:"hostname"`
	Name       string  `json:"name"`
	SSHKeyIDs  []int64 `json:"sshKeyIds"`
	// Coupon is an optional promo code for orders, credited once the
	// server is built.
	Coupon string `json:"coupon,omitempty"`
}

// Valid reports the invalid fields of r.
func (r OrderRequest) Valid() map[string]string {
	bad := map[string]string{}
	if r.PackageID <= 0 {
		bad["packageId"] = "Choose a plan."
	}
	if r.LocationID <= 0 {
		bad["locationId"] = "Choose a location."
	}
	if r.TemplateID <= 0 {
		bad["templateId"] = "Choose an operating system."
	}
	if msg := panel.ValidHostname(r.Hostname); msg != "" {
		bad["hostname"] = msg
	}
	if msg := panel.ValidServerName(r.Name); msg != "" {
		bad["name"] = msg
	}
	if len(r.SSHKeyIDs) > 20 {
		bad["sshKeyIds"] = "Choose at most 20 keys."
	}
	if len(bad) == 0 {
		return nil
	}
	return bad
}

// OrderResult is the answer to POST /api/servers.
type OrderResult struct {
	Server       json.RawMessage `json:"server"`
	RootPassword string          `json:"rootPassword"`
}

// PasswordReplay is how long a replayed order still shows the root password.
const PasswordReplay = time.Hour

// PlaceOrder orders a server for the caller, once per idempotency key:
// the balance must cover OrderPrepayHours; VirtFusion validates (dry run),
// creates the server, billing records it and charges its first hour on the
// condition that the balance still covers the prepay (so concurrent orders
// cannot overspend it), and VirtFusion builds it. When a step fails after
// the server exists, the charge is refunded and the server deleted (or
// suspended, when it cannot be deleted); what cannot be finished now is
// left on the order for the jobs function (RetryOrderCleanups). The same
// key replays the stored result; with another request it is refused.
func (s *Service) PlaceOrder(ctx context.Context, p *panel.Principal, key string, req OrderRequest) (*OrderResult, error) {
	s = s.Effective(ctx)
	if key == "" || len(key) > 200 {
		return nil, panel.Invalid(map[string]string{"Idempotency-Key": "Send an Idempotency-Key header of 1 to 200 characters."})
	}
	if bad := req.Valid(); bad != nil {
		return nil, panel.Invalid(bad)
	}
	o := &panel.ServerOrder{UserID: p.UserID, Key: key, RequestHash: panel.Fingerprint(req), Status: panel.OrderPending, CreatedAt: s.now()}
	stored, fresh, err := s.Store.ClaimOrder(ctx, o)
	if err != nil {
		return nil, err
	}
	if !fresh {
		return s.replay(stored, o.RequestHash)
	}
	res, undone, err := s.placeOrder(ctx, p, req, o)
	if err == nil {
		return res, nil
	}
	if undone {
		// Nothing is left of the attempt: the key may be used again.
		if rerr := s.Store.ReleaseOrder(ctx, p.UserID, key); rerr != nil {
			s.log(ctx).Error("billing: release order; the jobs function will", "key", key, "err", rerr)
		}
	} else {
		o.Status, o.Error = panel.OrderFailed, err.Error()
		if uerr := s.Store.UpdateOrder(ctx, o); uerr != nil {
			s.log(ctx).Error("billing: record failed order; the jobs function will settle it", "key", key, "err", uerr)
		}
	}
	return nil, err
}

func (s *Service) replay(o *panel.ServerOrder, hash string) (*OrderResult, error) {
	if o.RequestHash != hash {
		return nil, panel.IdempotencyMismatch()
	}
	switch o.Status {
	case panel.OrderDone:
		res := &OrderResult{Server: o.Result}
		if s.now().Before(o.PasswordTill) {
			res.RootPassword = o.RootPassword
		}
		return res, nil
	case panel.OrderFailed:
		return nil, panel.Errorf(panel.EUPSTREAM, "This order failed; anything charged for it is refunded. Order again with a new Idempotency-Key.")
	default:
		return nil, &panel.Error{Code: panel.ECONFLICT, Message: "This order is still being placed.", RetryAfter: 2}
	}
}

// definite reports an error that says for sure a write did not happen (a
// refusal), unlike a lost connection, after which it may have.
func definite(err error) bool {
	switch panel.ErrorCode(err) {
	case panel.EPAYMENTREQUIRED, panel.EAMOUNTRANGE, panel.ECONFLICT, panel.EINVALID:
		return true
	}
	return false
}

// placeOrder does the work. undone reports that a failure left nothing
// behind (no server, no money moved, or both reversed).
func (s *Service) placeOrder(ctx context.Context, p *panel.Principal, req OrderRequest, o *panel.ServerOrder) (*OrderResult, bool, error) {
	if p.VFUserID == 0 {
		return nil, true, panel.Errorf(panel.ECONFLICT, "Your account is still being set up; try again in a minute.")
	}
	prices, err := s.Store.Prices(ctx)
	if err != nil {
		return nil, true, err
	}
	price, ok := prices[req.PackageID]
	if !ok || price.Hidden {
		return nil, true, panel.Invalid(map[string]string{"packageId": "This plan is not for sale."})
	}
	need := price.HourlyMinor * int64(max(s.OrderPrepayHours, 1))
	// A read to refuse early, before VirtFusion makes a server; the
	// charge's write below is what enforces the rule.
	bal, err := s.Store.Balance(ctx, p.UserID)
	if err != nil {
		return nil, true, err
	}
	if bal.BalanceMinor < need {
		return nil, true, s.needFunds(bal.BalanceMinor, need)
	}
	if req.Coupon != "" {
		// Refused before anything is made; redeemed once it is built.
		if _, err := s.PreviewCoupon(ctx, p.UserID, req.Coupon, CouponCheck{On: CouponOnOrder, PackageID: req.PackageID}); err != nil {
			return nil, true, err
		}
	}
	spec := panel.ServerSpec{VFUserID: p.VFUserID, PackageID: req.PackageID, LocationID: req.LocationID, TemplateID: req.TemplateID,
		Hostname: req.Hostname, Name: req.Name, SSHKeyIDs: req.SSHKeyIDs}
	if _, err := s.Host.CreateServer(ctx, spec, true); err != nil {
		return nil, true, err
	}
	id, err := s.Host.CreateServer(ctx, spec, false)
	if err != nil {
		return nil, true, err
	}
	o.ServerID = id
	if err := s.Store.UpdateOrder(ctx, o); err != nil {
		return nil, s.deleteServer(ctx, id), err
	}
	now := s.now()
	bs := &panel.BilledServer{ServerID: id, UserID: p.UserID, VFUserID: p.VFUserID, Name: req.Name, PackageID: req.PackageID,
		HourlyMinor: price.HourlyMinor, MonthlyCapMinor: price.MonthlyCapMinor, Currency: s.Currency, ActiveSince: now}
	hour := now.Truncate(time.Hour)
	first := hourCharge(bs, hour)
	_, err = s.Store.StartServer(ctx, bs, first, panel.Posting{UserID: p.UserID, Type: panel.EntryCharge,
		AmountMinor: -first.AmountMinor, Currency: s.Currency, Description: chargeDescription(req.Name, hour),
		Ref: serverRef(id), At: now, RequireBalanceMinor: need})
	if err != nil {
		if panel.ErrorCode(err) == panel.EPAYMENTREQUIRED {
			// Concurrent orders spent the balance meanwhile.
			if b, berr := s.Store.Balance(ctx, p.UserID); berr == nil {
				err = s.needFunds(b.BalanceMinor, need)
			}
		}
		if !definite(err) {
			// The charge may have been written: undo as after a failed build.
			return nil, s.undoOrder(ctx, p.UserID, id, err) == nil, err
		}
		return nil, s.deleteServer(ctx, id), err
	}
	// Money moved: from here on a failure refunds it too.
	srv, password, err := s.Host.BuildServer(ctx, id, spec)
	if err != nil {
		return nil, s.undoOrder(ctx, p.UserID, id, err) == nil, err
	}
	if srv == nil {
		srv = &panel.Server{ID: id, Name: req.Name, Hostname: req.Hostname, Provisioning: panel.ProvisionBuilding, Power: panel.PowerUnknown}
	}
	result, err := json.Marshal(srv)
	if err != nil {
		return nil, s.undoOrder(ctx, p.UserID, id, err) == nil, err
	}
	o.Status, o.Result, o.RootPassword, o.PasswordTill = panel.OrderDone, result, password, s.now().Add(PasswordReplay)
	if o.Notify, err = s.builtNotes(ctx, p.UserID, srv, req, price); err != nil {
		s.log(ctx).Error("billing: order built: no notification", "server", id, "err", err)
	}
	if err := s.Store.UpdateOrder(ctx, o); err != nil {
		// The server is built and paid for: answer with it anyway (the
		// jobs function completes the record).
		s.log(ctx).Error("billing: record completed order", "key", o.Key, "server", id, "err", err)
	}
	s.orderCredit(ctx, p.UserID, req.Coupon, id, req.PackageID)
	s.log(ctx).Info("billing: server ordered", "user", p.UserID, "server", id, "package", req.PackageID)
	return &OrderResult{Server: result, RootPassword: password}, false, nil
}

func (s *Service) needFunds(balance, need int64) error {
	return panel.Errorf(panel.EPAYMENTREQUIRED, "You need %s %s more: your balance must cover the first %d hours of this plan (%s %s).",
		config.FormatMoney(need-balance), s.Currency, max(s.OrderPrepayHours, 1), config.FormatMoney(need), s.Currency)
}

// undoOrder undoes the order of server id: billing stops, everything it
// was charged is refunded (once, whatever runs it), and VirtFusion
// deletes it. A server that cannot be deleted is suspended, so nobody
// uses a server nobody pays for; the servers routes refuse it too.
func (s *Service) undoOrder(ctx context.Context, userID string, id int64, why error) error {
	// The server goes even when the money cannot be settled now: the jobs
	// function refunds a billed server that is gone.
	moneyErr := s.refundOrder(ctx, userID, id, why)
	if !s.deleteServer(ctx, id) {
		return errors.Join(moneyErr, fmt.Errorf("billing: undo order: server %d not deleted", id))
	}
	return moneyErr
}

// refundOrder stops billing server id and refunds what it was charged.
func (s *Service) refundOrder(ctx context.Context, userID string, id int64, why error) error {
	bs, err := s.Store.BilledServer(ctx, id)
	if isCode(err, panel.ENOTFOUND) {
		return nil // never billed: nothing to refund
	}
	if err != nil {
		return fmt.Errorf("billing: undo order of server %d: %w", id, err)
	}
	// Stopped first, so no hourly run charges it while it is refunded.
	if _, _, err := s.Store.StopServer(ctx, id, s.now(), "order failed"); err != nil {
		return fmt.Errorf("billing: undo order: stop billing server %d: %w", id, err)
	}
	charged, err := s.Store.ServerCharges(ctx, userID, id, bs.ActiveSince.Add(-time.Minute))
	if err != nil {
		return fmt.Errorf("billing: undo order: charges of server %d: %w", id, err)
	}
	// The build-failed messages are keyed by the server, like the refund.
	reason := "the order did not complete"
	if why != nil {
		reason = panel.ErrorMessage(why)
	}
	notify, err := s.notes(ctx, userID, panel.NotifyBuildFailed, strconv.FormatInt(id, 10),
		map[string]string{"serverName": bs.Name, "refund": Money(charged, s.Currency)},
		panel.NotifyStaffBuildFailed, map[string]string{"serverName": bs.Name, "error": reason})
	if err != nil {
		return fmt.Errorf("billing: undo order of server %d: %w", id, err)
	}
	if charged > 0 {
		_, _, err := s.Store.Post(ctx, panel.Posting{UserID: userID, Type: panel.EntryReversal, AmountMinor: charged,
			Currency: s.Currency, Description: bs.Name + ": order failed, charge reversed", Ref: serverRef(id),
			IdemKey: panel.IdemOrderUndo + strconv.FormatInt(id, 10), At: s.now(), Notify: notify})
		if err != nil {
			return fmt.Errorf("billing: undo order: refund server %d: %w", id, err)
		}
		return nil
	}
	s.enqueue(ctx, notify...) // nothing was charged: no write to join
	return nil
}

// builtNotes are the order-built message (IP and first-login help; never
// the root password, which the panel showed once) and the staff's new
// order alert, both keyed by the server.
func (s *Service) builtNotes(ctx context.Context, userID string, srv *panel.Server, req OrderRequest, price panel.Price) ([]panel.Notification, error) {
	ip := "being assigned (see the server's page)"
	if len(srv.IPv4) > 0 {
		ip = srv.IPv4[0]
	} else if len(srv.IPv6) > 0 {
		ip = srv.IPv6[0]
	}
	login := "panel-password"
	if len(req.SSHKeyIDs) > 0 {
		login = "ssh-key"
	}
	return s.notes(ctx, userID, panel.NotifyOrderBuilt, strconv.FormatInt(srv.ID, 10),
		map[string]string{"serverId": strconv.FormatInt(srv.ID, 10), "serverName": req.Name, "ip": ip,
			"username": "root", "login": login},
		panel.NotifyStaffOrder, map[string]string{"serverName": req.Name,
			"package": fmt.Sprintf("package %d at %s an hour", req.PackageID, Money(price.HourlyMinor, s.Currency))})
}

// deleteServer deletes the server of a failed order, or, when VirtFusion
// will not, suspends it until the jobs function can.
func (s *Service) deleteServer(ctx context.Context, id int64) bool {
	err := s.Host.DeleteServer(ctx, id)
	if err == nil {
		return true
	}
	s.log(ctx).Error("billing: delete server after a failed order", "server", id, "err", err)
	if serr := s.Host.Suspend(ctx, id); serr != nil && panel.ErrorCode(serr) != panel.ENOTFOUND {
		s.log(ctx).Error("billing: suspend server of a failed order", "server", id, "err", serr)
	}
	return false
}

// DeleteServer deletes a customer's server (confirm must be its name):
// VirtFusion deletes it at once and billing stops, so no later hour is
// charged.
func (s *Service) DeleteServer(ctx context.Context, p *panel.Principal, id int64, confirm string) error {
	bs, err := s.Store.BilledServer(ctx, id)
	if err != nil && !isCode(err, panel.ENOTFOUND) {
		return err
	}
	if err != nil || bs.UserID != p.UserID {
		return panel.NotFound("server") // a foreign server is not found either
	}
	name, err := s.Host.ServerName(ctx, id)
	switch {
	case panel.ErrorCode(err) == panel.ENOTFOUND:
		name = "" // gone already: stop billing below
	case err != nil:
		return err
	case confirm != name:
		return panel.Invalid(map[string]string{"confirm": "Type the server's name exactly to confirm."})
	}
	if bs.Status == panel.BilledActive || name != "" {
		if name != "" {
			if err := s.Host.DeleteServer(ctx, id); err != nil {
				return err
			}
		}
		notify, err := s.deletedNote(ctx, bs, "you deleted it")
		if err != nil {
			return err
		}
		if _, _, err := s.Store.StopServerWith(ctx, id, s.now(), "deleted by customer", notify); err != nil {
			return err
		}
	}
	s.log(ctx).Info("billing: server deleted", "user", p.UserID, "server", id)
	return nil
}

func serverRef(id int64) string { return "server:" + strconv.FormatInt(id, 10) }

func chargeDescription(name string, hour time.Time) string {
	return fmt.Sprintf("%s: %s UTC", name, hour.UTC().Format("2006-01-02 15:04"))
}

// hourCharge prices one hour of bs, capped per calendar month (add-ons
// are not part of it: see addonCharges).
func hourCharge(bs *panel.BilledServer, hour time.Time) panel.HourCharge {
	month := hour.UTC().Format("2006-01")
	charged := int64(0)
	if bs.CapMonth == month {
		charged = bs.CapChargedMinor
	}
	amt, capMinor := bs.HourlyMinor, bs.MonthlyCapMinor
	if hour.Before(bs.PriceFrom) {
		// A package change takes effect at the hour after it.
		amt, capMinor = bs.PrevHourlyMinor, bs.PrevCapMinor
	}
	if capMinor > 0 && charged+amt > capMinor {
		amt = max(0, capMinor-charged)
	}
	return panel.HourCharge{HourStart: hour.UTC(), AmountMinor: amt, CapMonth: month, CapCharged: charged + amt}
}

// deletedNote is the "server deleted" message of bs, keyed by the server
// (whatever deletes it, the customer hears once).
func (s *Service) deletedNote(ctx context.Context, bs *panel.BilledServer, reason string) ([]panel.Notification, error) {
	n, ok, err := s.note(ctx, bs.UserID, panel.NotifyDeleted, strconv.FormatInt(bs.ServerID, 10),
		map[string]string{"serverName": bs.Name, "reason": reason})
	if err != nil || !ok {
		return nil, err
	}
	return []panel.Notification{n}, nil
}
