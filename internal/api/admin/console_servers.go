package admin

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// ServerOwner is the panel user a server is billed to.
type ServerOwner struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

// ConsoleServer is a row of the console's server list: VirtFusion's view
// (when it still has the server) merged with billing's record (when the
// panel bills it).
type ConsoleServer struct {
	ID           int64          `json:"id"`
	Name         string         `json:"name"`
	OwnerVFID    int64          `json:"ownerVfId"`
	Owner        *ServerOwner   `json:"owner"`
	HypervisorID int64          `json:"hypervisorId"`
	PackageID    int64          `json:"packageId"`
	State        string         `json:"state" enum:"complete,building,gone"` // VirtFusion build state; gone: only billing knows it
	Suspended    bool           `json:"suspended"`
	Unbilled     bool           `json:"unbilled"` // VirtFusion has it, billing does not bill it
	CreatedAt    time.Time      `json:"createdAt"`
	Billing      *ServerBilling `json:"billing"`
}

// ConsoleServerList is the body of GET /api/admin/servers.
type ConsoleServerList struct {
	Items      []ConsoleServer `json:"items"`
	NextCursor string          `json:"nextCursor"`
	Total      int             `json:"total"` // rows matching the filters
}

// ConsolePowerRequest is the body of POST /api/admin/servers/{id}/power.
type ConsolePowerRequest struct {
	Action string `json:"action" enum:"boot,shutdown,restart,poweroff"`
}

// SuspensionRequest is the body of PUT /api/admin/servers/{id}/suspension.
type SuspensionRequest struct {
	Suspended bool `json:"suspended"`
}

// DeleteServerRequest is the body of DELETE /api/admin/servers/{id}.
type DeleteServerRequest struct {
	Confirm string `json:"confirm"` // the server's name, typed again
}

// TransferRequest is the body of POST /api/admin/servers/{id}/transfer.
type TransferRequest struct {
	UserID string `json:"userId"`
}

// Valid implements httpx.Validator.
func (q *TransferRequest) Valid() map[string]string {
	if strings.TrimSpace(q.UserID) == "" {
		return map[string]string{"userId": "Choose the customer to give the server to."}
	}
	return nil
}

// Transferred is the answer to POST /api/admin/servers/{id}/transfer.
type Transferred struct {
	ServerID int64       `json:"serverId"`
	From     ServerOwner `json:"from"`
	To       ServerOwner `json:"to"`
}

func serverTarget(id int64) string { return "server:" + strconv.FormatInt(id, 10) }

type suspendState struct {
	Suspended bool `json:"suspended"`
}

func ownerOf(u *panel.User) ServerOwner { return ServerOwner{ID: u.ID, Email: u.Email, Name: u.Name} }

// servers serves GET /api/admin/servers: VirtFusion's full list (one paged
// walk) merged with billing's active records (one Query per shard), the
// owners of the page read in one batch; filtered, sorted and paged here.
func (h *console) servers(w http.ResponseWriter, r *http.Request) error {
	if _, err := admin(r); err != nil {
		return err
	}
	q := r.URL.Query()
	ctx := r.Context()
	bad := map[string]string{}
	intParam := func(key string) int64 {
		v := q.Get(key)
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			bad[key] = "Use a positive number."
		}
		return n
	}
	pkg, hv := intParam("package"), intParam("location")
	state, sortBy := q.Get("state"), cmp.Or(q.Get("sort"), "-id")
	if state != "" && state != "complete" && state != "building" && state != "gone" {
		bad["state"] = "Use complete, building or gone."
	}
	if !slices.Contains([]string{"id", "-id", "name", "-name", "created", "-created"}, sortBy) {
		bad["sort"] = "Use id, name or created, with - for descending."
	}
	offset := 0
	if c := q.Get("cursor"); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 {
			bad["cursor"] = "Not a cursor from this list; start again without it."
		}
		offset = n
	}
	suspended, err := queryBool(r, "suspended")
	if err != nil {
		return err
	}
	unbilled, err := queryBool(r, "unbilled")
	if err != nil {
		return err
	}
	if len(bad) > 0 {
		return panel.Invalid(bad)
	}
	var owner *panel.User
	if id := q.Get("owner"); id != "" {
		if owner, err = h.d.Users.User(ctx, id); err != nil {
			return err
		}
	}
	billed, err := h.d.Billing.Store.ActiveServers(ctx)
	if err != nil {
		return err
	}
	var live []panel.HostServer
	if h.d.Servers != nil {
		if live, err = h.d.Servers.AllServers(ctx); err != nil {
			return err
		}
	}
	rows := mergeServers(live, billed)
	rows = slices.DeleteFunc(rows, func(s ConsoleServer) bool {
		return (state != "" && s.State != state) || (pkg > 0 && s.PackageID != pkg) || (hv > 0 && s.HypervisorID != hv) ||
			(suspended != nil && s.Suspended != *suspended) || (unbilled != nil && s.Unbilled != *unbilled) ||
			(owner != nil && !ownedBy(s, owner))
	})
	sortServers(rows, sortBy)
	limit := queryLimit(r, 25)
	total := len(rows)
	page := rows[min(offset, total):min(offset+limit, total)]
	next := ""
	if offset+limit < total {
		next = strconv.Itoa(offset + limit)
	}
	if err := h.fillOwners(r, page); err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, ConsoleServerList{Items: page, NextCursor: next, Total: total})
}

func ownedBy(s ConsoleServer, u *panel.User) bool {
	return (s.Owner != nil && s.Owner.ID == u.ID) || (u.VFUserID > 0 && s.OwnerVFID == u.VFUserID)
}

// mergeServers joins VirtFusion's list and billing's records by server id.
func mergeServers(live []panel.HostServer, billed []*panel.BilledServer) []ConsoleServer {
	byID := make(map[int64]*panel.BilledServer, len(billed))
	for _, b := range billed {
		byID[b.ServerID] = b
	}
	rows := make([]ConsoleServer, 0, len(live)+len(billed))
	for _, s := range live {
		row := ConsoleServer{ID: s.ID, Name: s.Name, OwnerVFID: s.OwnerVFID, HypervisorID: s.HypervisorID,
			State: "building", Suspended: s.Suspended, CreatedAt: s.CreatedAt, Unbilled: true}
		if s.Commissioned {
			row.State = "complete"
		}
		if b := byID[s.ID]; b != nil {
			delete(byID, s.ID)
			withBilled(&row, b)
		}
		rows = append(rows, row)
	}
	for _, b := range billed {
		if byID[b.ServerID] == nil {
			continue
		}
		row := ConsoleServer{ID: b.ServerID, Name: b.Name, OwnerVFID: b.VFUserID, State: "gone", CreatedAt: b.ActiveSince}
		withBilled(&row, b)
		rows = append(rows, row)
	}
	return rows
}

func withBilled(row *ConsoleServer, b *panel.BilledServer) {
	row.Unbilled = b.Status != panel.BilledActive
	row.PackageID = b.PackageID
	row.Owner = &ServerOwner{ID: b.UserID}
	row.Billing = withBilling(&panel.Server{}, b).Billing
}

func sortServers(rows []ConsoleServer, by string) {
	desc := strings.HasPrefix(by, "-")
	key := strings.TrimPrefix(by, "-")
	slices.SortStableFunc(rows, func(a, b ConsoleServer) int {
		c := cmp.Compare(a.ID, b.ID)
		switch key {
		case "name":
			c = cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), c)
		case "created":
			c = cmp.Or(a.CreatedAt.Compare(b.CreatedAt), c)
		}
		if desc {
			return -c
		}
		return c
	})
}

// fillOwners reads the page's owners in one batch.
func (h *console) fillOwners(r *http.Request, page []ConsoleServer) error {
	var ids []string
	for _, s := range page {
		if s.Owner != nil {
			ids = append(ids, s.Owner.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	users, err := h.d.Store.UsersByID(r.Context(), ids)
	if err != nil {
		return err
	}
	byID := make(map[string]*panel.User, len(users))
	for _, u := range users {
		byID[u.ID] = u
	}
	for i := range page {
		if o := page[i].Owner; o != nil && byID[o.ID] != nil {
			*o = ownerOf(byID[o.ID])
		}
	}
	return nil
}

// serverOwnerLog is the log an action on server id is recorded in: its
// billed owner's, else the acting admin's.
func (h *console) serverOwnerLog(r *http.Request, p *panel.Principal, id int64) (*panel.BilledServer, string, error) {
	b, err := h.d.Billing.Store.BilledServer(r.Context(), id)
	switch {
	case err == nil:
		return b, b.UserID, nil
	case panel.ErrorCode(err) == panel.ENOTFOUND:
		return nil, p.UserID, nil
	}
	return nil, "", err
}

func (h *console) serverAction(r *http.Request) (*panel.Principal, int64, error) {
	p, err := admin(r)
	if err != nil {
		return nil, 0, err
	}
	id, err := serverID(r)
	if err != nil {
		return nil, 0, err
	}
	if h.d.Servers == nil {
		return nil, 0, panel.Errorf(panel.EUNAVAILABLE, "VirtFusion is not configured.")
	}
	return p, id, nil
}

// power serves POST /api/admin/servers/{id}/power.
func (h *console) power(w http.ResponseWriter, r *http.Request) error {
	p, id, err := h.serverAction(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[ConsolePowerRequest](r)
	if err != nil {
		return err
	}
	_, log, err := h.serverOwnerLog(r, p, id)
	if err != nil {
		return err
	}
	err = h.d.Servers.Power(r.Context(), id, req.Action)
	if err := h.record(r, p, log, panel.ActAdminServerPower, serverTarget(id), nil, req, err); err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusAccepted, Done{OK: true})
}

// suspension serves PUT /api/admin/servers/{id}/suspension.
func (h *console) suspension(w http.ResponseWriter, r *http.Request) error {
	p, id, err := h.serverAction(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[SuspensionRequest](r)
	if err != nil {
		return err
	}
	_, log, err := h.serverOwnerLog(r, p, id)
	if err != nil {
		return err
	}
	action := panel.ActAdminServerUnsuspend
	if req.Suspended {
		action = panel.ActAdminServerSuspend
		err = h.d.Servers.Suspend(r.Context(), id)
	} else {
		err = h.d.Servers.Unsuspend(r.Context(), id)
	}
	if err := h.record(r, p, log, action, serverTarget(id), suspendState{!req.Suspended}, suspendState(req), err); err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, Done{OK: true})
}

// deleteServer serves DELETE /api/admin/servers/{id}: VirtFusion deletes
// it at once, then billing stops (a server VirtFusion no longer has only
// stops billing).
func (h *console) deleteServer(w http.ResponseWriter, r *http.Request) error {
	p, id, err := h.serverAction(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[DeleteServerRequest](r)
	if err != nil {
		return err
	}
	b, log, err := h.serverOwnerLog(r, p, id)
	if err != nil {
		return err
	}
	name := ""
	if b != nil {
		name = b.Name
	}
	if h.d.Server != nil {
		if s, err := h.d.Server(r.Context(), id); err == nil {
			name = s.Name
		}
	}
	if name == "" || req.Confirm != name {
		return panel.Invalid(map[string]string{"confirm": "Type the server's name exactly to confirm."})
	}
	err = h.d.Servers.DeleteServer(r.Context(), id)
	if err == nil && b != nil && b.Status == panel.BilledActive {
		_, _, err = h.d.Billing.Store.StopServer(r.Context(), id, h.d.Now(), "deleted by administrator")
	}
	if err := h.record(r, p, log, panel.ActAdminServerDelete, serverTarget(id), map[string]string{"name": name}, nil, err); err != nil {
		return err
	}
	return httpx.NoContent(w)
}

type ownerState struct {
	UserID   string `json:"userId"`
	VFUserID int64  `json:"vfUserId"`
}

// transfer serves POST /api/admin/servers/{id}/transfer: VirtFusion's
// owner changes first (PUT /servers/{id}/owner/{vfUserId}), then billing's
// record moves in one DynamoDB transaction with an audit entry in each
// customer's log. If the move fails, VirtFusion's owner is put back.
func (h *console) transfer(w http.ResponseWriter, r *http.Request) error {
	p, id, err := h.serverAction(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[TransferRequest](r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	b, err := h.d.Billing.Store.BilledServer(ctx, id)
	if panel.ErrorCode(err) == panel.ENOTFOUND {
		return panel.Errorf(panel.ECONFLICT, "Billing does not know server %d; only servers ordered in the panel can be transferred.", id)
	}
	if err != nil {
		return err
	}
	to, err := h.d.Users.User(ctx, req.UserID)
	if panel.ErrorCode(err) == panel.ENOTFOUND {
		return panel.Invalid(map[string]string{"userId": "There is no such customer."})
	}
	if err != nil {
		return err
	}
	switch {
	case to.ID == b.UserID:
		return panel.Invalid(map[string]string{"userId": "The server belongs to this customer already."})
	case !to.Linked():
		return panel.Invalid(map[string]string{"userId": "This customer has no VirtFusion account yet; link one first."})
	case to.Blocked:
		return panel.Invalid(map[string]string{"userId": "This customer is blocked."})
	}
	from, err := h.d.Users.User(ctx, b.UserID)
	if err != nil {
		return err
	}
	before, after := ownerState{from.ID, from.VFUserID}, ownerState{to.ID, to.VFUserID}
	if err := h.d.Servers.ChangeOwner(ctx, id, to.VFUserID); err != nil {
		return h.record(r, p, from.ID, panel.ActAdminServerTransfer, serverTarget(id), before, after, err)
	}
	now, ip := h.d.Now(), httpx.ClientIP(r)
	entry := func(log string) panel.AuditEntry {
		return panel.AuditEntry{UserID: log, Actor: p.UserID, Action: panel.ActAdminServerTransfer, Target: serverTarget(id),
			Outcome: panel.OutcomeOK, IP: ip, At: now, Before: compact(before), After: compact(after)}
	}
	if _, err := h.d.Transfers.TransferServer(ctx, id, from, to, []panel.AuditEntry{entry(from.ID), entry(to.ID)}); err != nil {
		if rerr := h.d.Servers.ChangeOwner(ctx, id, from.VFUserID); rerr != nil {
			httpx.Logger(ctx).Error("admin: transfer: VirtFusion owner not put back", "server", id, "vfUser", from.VFUserID, "err", rerr)
		}
		return h.record(r, p, from.ID, panel.ActAdminServerTransfer, serverTarget(id), before, after, err)
	}
	return httpx.Encode(w, http.StatusOK, Transferred{ServerID: id, From: ownerOf(from), To: ownerOf(to)})
}
