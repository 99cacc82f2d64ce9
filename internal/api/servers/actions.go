package servers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// RenameRequest is the body of PATCH /api/servers/{id}.
type RenameRequest struct {
	Name string `json:"name"`
}

// Valid implements httpx.Validator.
func (q *RenameRequest) Valid() map[string]string {
	if p := panel.ValidServerName(q.Name); p != "" {
		return map[string]string{"name": p}
	}
	return nil
}

// rename is PATCH /api/servers/{id}.
func (h *handlers) rename(w http.ResponseWriter, r *http.Request) error {
	req, err := httpx.Decode[RenameRequest](r)
	if err != nil {
		return err
	}
	s, err := h.owned(r, true)
	if err != nil {
		return err
	}
	ctx := r.Context()
	err = h.d.VirtFusion.Rename(ctx, s.ID, req.Name)
	h.audit(r, panel.ActServerRename, serverTarget(s.ID), fmt.Sprintf("%q → %q", s.Name, req.Name), err)
	if err != nil {
		return err
	}
	h.d.Cache.Invalidate(s.ID)
	pkgs := h.packages(ctx)
	out := virtfusion.Summarize(s, pkgs)
	if l, err := h.live(ctx, s.ID); err == nil && l.OwnerID == s.OwnerID {
		out = virtfusion.Summarize(l, pkgs)
	}
	virtfusion.SetOrderedPackage(out, h.orderedPackages(ctx, []int64{s.ID})[s.ID], pkgs)
	out.Name = req.Name // VirtFusion may answer before the rename shows
	return httpx.Encode(w, http.StatusOK, ServerBody{Server: *out})
}

// PowerRequest is the body of POST /api/servers/{id}/power.
type PowerRequest struct {
	Action string `json:"action" enum:"boot,shutdown,restart,poweroff"`
}

// Valid implements httpx.Validator.
func (q *PowerRequest) Valid() map[string]string {
	switch q.Action {
	case virtfusion.PowerBoot, virtfusion.PowerShutdown, virtfusion.PowerRestart, virtfusion.PowerOff:
		return nil
	}
	return map[string]string{"action": "Choose boot, shutdown, restart or poweroff."}
}

// power is POST /api/servers/{id}/power.
func (h *handlers) power(w http.ResponseWriter, r *http.Request) error {
	req, err := httpx.Decode[PowerRequest](r)
	if err != nil {
		return err
	}
	s, err := h.owned(r, true)
	if err != nil {
		return err
	}
	if err := h.ready(s); err != nil {
		return err
	}
	ctx := r.Context()
	if err := h.limit(r, "power", h.d.Limits.Power); err != nil {
		h.audit(r, panel.ActServerPower, serverTarget(s.ID), req.Action, err)
		return err
	}
	if req.Action != "boot" && h.d.AlertEvents != nil {
		// Before the call: VirtFusion's webhook for the stop can arrive
		// before the answer. A failure only risks a needless alert.
		if err := h.d.AlertEvents.ExpectStop(ctx, s.ID); err != nil {
			httpx.Logger(ctx).Warn("servers: alert stop expectation not recorded", "server", s.ID, "err", err)
		}
	}
	qid, err := h.d.VirtFusion.Power(ctx, s.ID, req.Action)
	h.audit(r, panel.ActServerPower, serverTarget(s.ID), req.Action, err)
	if err != nil {
		return err
	}
	h.d.Cache.Invalidate(s.ID)
	now := h.d.Now().UTC()
	t := panel.Task{ID: strconv.FormatInt(qid, 10), Action: req.Action, Status: panel.TaskPending, StartedAt: &now}
	return httpx.Encode(w, http.StatusAccepted, TaskBody{Task: t})
}

// ready refuses actions on a server that is suspended or not built yet.
func (h *handlers) ready(s *virtfusion.Server) error {
	if err := refuseSuspended(s); err != nil {
		return err
	}
	switch virtfusion.Provisioning(s) {
	case panel.ProvisionBuilding:
		return &panel.Error{Code: panel.ESERVERBUSY, Message: "The server is being built; try again when it is ready.", RetryAfter: 15}
	case panel.ProvisionAllocated, panel.ProvisionFailed:
		return panel.Errorf(panel.ECONFLICT, "The server has no operating system installed yet.")
	}
	return nil
}

// limit counts one attempt at a rate-limited action for the caller.
func (h *handlers) limit(r *http.Request, what string, l Limit) error {
	return h.d.Limiter.Allow(r.Context(), "servers:"+what+":"+principal(r).UserID, l.N, l.Window)
}

// ReinstallRequest is the body of POST /api/servers/{id}/reinstall.
type ReinstallRequest struct {
	TemplateID int64   `json:"templateId"`
	Hostname   string  `json:"hostname"`
	SSHKeyIDs  []int64 `json:"sshKeyIds"`
	Confirm    string  `json:"confirm"`
}

// Valid implements httpx.Validator.
func (q *ReinstallRequest) Valid() map[string]string {
	p := map[string]string{}
	if q.TemplateID <= 0 {
		p["templateId"] = "Choose an operating system."
	}
	if e := panel.ValidHostname(q.Hostname); e != "" {
		p["hostname"] = e
	}
	if len(q.SSHKeyIDs) > 20 {
		p["sshKeyIds"] = "Choose at most 20 keys."
	}
	if q.Confirm == "" {
		p["confirm"] = "Type the server's name to confirm."
	}
	return p
}

// reinstall is POST /api/servers/{id}/reinstall. It wipes the server, so
// the customer must type its name; the new root password is shown once.
func (h *handlers) reinstall(w http.ResponseWriter, r *http.Request) error {
	req, err := httpx.Decode[ReinstallRequest](r)
	if err != nil {
		return err
	}
	s, err := h.owned(r, true)
	if err != nil {
		return err
	}
	if err := refuseSuspended(s); err != nil {
		return err
	}
	if virtfusion.Provisioning(s) == panel.ProvisionBuilding {
		return &panel.Error{Code: panel.ESERVERBUSY, Message: "The server is being built; try again when it is ready.", RetryAfter: 15}
	}
	if req.Confirm != s.Name {
		return panel.Invalid(map[string]string{"confirm": "This does not match the server's name."})
	}
	ctx := r.Context()
	gs, err := h.d.VirtFusion.ServerTemplates(ctx, s.ID)
	if err != nil {
		return err
	}
	osName, ok := templateName(gs, req.TemplateID)
	if !ok {
		return panel.Invalid(map[string]string{"templateId": "This operating system cannot be installed on this server."})
	}
	if len(req.SSHKeyIDs) > 0 {
		keys, err := h.d.VirtFusion.SSHKeys(ctx, principal(r).VFUserID)
		if err != nil {
			return err
		}
		for _, id := range req.SSHKeyIDs {
			if !slices.ContainsFunc(keys, func(k virtfusion.SSHKey) bool { return int64(k.ID) == id }) {
				return panel.Invalid(map[string]string{"sshKeyIds": "One of the keys is not yours or no longer exists."})
			}
		}
	}
	detail := fmt.Sprintf("%s, hostname %s", osName, req.Hostname)
	if err := h.limit(r, "reinstall", h.d.Limits.Reinstall); err != nil {
		h.audit(r, panel.ActServerReinstall, serverTarget(s.ID), detail, err)
		return err
	}
	b, err := h.d.VirtFusion.BuildServer(ctx, s.ID, virtfusion.BuildServerRequest{OperatingSystemID: req.TemplateID,
		Name: s.Name, Hostname: req.Hostname, SSHKeys: req.SSHKeyIDs, Email: false})
	h.audit(r, panel.ActServerReinstall, serverTarget(s.ID), detail, err)
	if err != nil {
		return err
	}
	h.d.Cache.Invalidate(s.ID)
	now := h.d.Now().UTC()
	// VirtFusion's build response names no queue item (tasks.active with an
	// empty pending list), so the task follows the server's build state.
	t := panel.Task{ID: buildTaskID, Action: "reinstall", Status: panel.TaskPending, StartedAt: &now}
	return httpx.Encode(w, http.StatusAccepted, ReinstallStarted{Task: t, RootPassword: b.DecryptedPassword})
}

// templateName is the name people know template id by ("Ubuntu 24.04"),
// and whether the server can install it.
func templateName(gs []virtfusion.TemplateGroup, id int64) (string, bool) {
	for _, g := range gs {
		for _, t := range g.Templates {
			if int64(t.ID) == id {
				return strings.TrimSpace(string(t.Name) + " " + string(t.Version)), true
			}
		}
	}
	return "", false
}

// resetPassword is POST /api/servers/{id}/reset-password: a new root (or
// Administrator) password, set through the guest agent, shown once.
func (h *handlers) resetPassword(w http.ResponseWriter, r *http.Request) error {
	s, err := h.owned(r, true)
	if err != nil {
		return err
	}
	if err := h.ready(s); err != nil {
		return err
	}
	user := "root"
	if strings.EqualFold(s.OSTemplateType, "windows") || strings.Contains(strings.ToLower(s.OSTemplateName), "windows") {
		user = "Administrator"
	}
	if err := h.limit(r, "reset-password", h.d.Limits.PasswordReset); err != nil {
		h.audit(r, panel.ActServerResetPassword, serverTarget(s.ID), user, err)
		return err
	}
	res, err := h.d.VirtFusion.ResetServerPassword(r.Context(), s.ID, user)
	h.audit(r, panel.ActServerResetPassword, serverTarget(s.ID), user, err)
	if err != nil {
		return err
	}
	now := h.d.Now().UTC()
	t := panel.Task{ID: strconv.FormatInt(int64(res.QueueID), 10), Action: "reset-password", Status: panel.TaskPending, StartedAt: &now}
	return httpx.Encode(w, http.StatusOK, PasswordReset{Password: string(res.ExpectedPassword), Task: t})
}

// console is POST /api/servers/{id}/console: VNC switched on if needed, and
// the websocket URL on the VirtFusion panel plus the VNC password, for
// noVNC to connect directly.
func (h *handlers) console(w http.ResponseWriter, r *http.Request) error {
	s, err := h.owned(r, true)
	if err != nil {
		return err
	}
	if err := refuseSuspended(s); err != nil {
		return err
	}
	v, err := h.consoleVNC(r.Context(), s.ID)
	h.audit(r, panel.ActServerConsole, serverTarget(s.ID), "", err)
	if err != nil {
		return err
	}
	u, err := websocketURL(h.d.VirtFusion.PanelURL(), v.WSSURL)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, ConsoleAccess{URL: u, Password: v.Password,
		ExpiresAt: h.d.Now().Add(h.d.ConsoleTTL).UTC()})
}

// consoleVNC returns VNC details with a websocket URL. GET /vnc may say
// enabled:false while giving a usable wss.url (VirtFusion v7's flag is
// unreliable), so a URL is used whenever present. VNC is switched on only
// when there is none; when switching fails, GET is asked once more (the
// console may be on regardless) before the failure is reported.
func (h *handlers) consoleVNC(ctx context.Context, id int64) (*virtfusion.VNC, error) {
	v, err := h.d.VirtFusion.VNC(ctx, id)
	if err == nil && v.WSSURL != "" {
		return v, nil
	}
	en, enErr := h.d.VirtFusion.EnableVNC(ctx, id)
	if enErr == nil && en.WSSURL != "" {
		return en, nil
	}
	if enErr != nil {
		httpx.Logger(ctx).Warn("servers: enabling vnc failed", "server", id, "err", enErr)
	}
	if v, err = h.d.VirtFusion.VNC(ctx, id); err == nil && v.WSSURL != "" {
		return v, nil
	}
	if enErr != nil {
		return nil, enErr
	}
	if err != nil {
		return nil, err
	}
	return nil, &panel.Error{Code: panel.EUPSTREAM, Message: "The console is not available for this server right now.",
		Err: fmt.Errorf("virtfusion: vnc of server %d: no websocket url", id)}
}

// websocketURL makes VirtFusion's relative wss.url absolute on the panel
// host, with ws:// for an http panel and wss:// for https.
func websocketURL(panelURL, rel string) (string, error) {
	base, err := url.Parse(panelURL)
	if err != nil {
		return "", fmt.Errorf("servers: panel url %q: %w", panelURL, err)
	}
	ref, err := url.Parse(rel)
	if err != nil {
		return "", fmt.Errorf("servers: vnc url %q: %w", rel, err)
	}
	u := base.ResolveReference(ref)
	switch u.Scheme {
	case "https", "wss":
		u.Scheme = "wss"
	default:
		u.Scheme = "ws"
	}
	return u.String(), nil
}

// sso is POST /api/servers/{id}/sso: a one-time link that signs the
// customer into VirtFusion's own panel on this server's page.
func (h *handlers) sso(w http.ResponseWriter, r *http.Request) error {
	s, err := h.owned(r, true)
	if err != nil {
		return err
	}
	if err := refuseSuspended(s); err != nil {
		return err
	}
	t, err := h.d.VirtFusion.ServerLoginTokens(r.Context(), principal(r).UserID, s.ID)
	h.audit(r, panel.ActServerSSO, serverTarget(s.ID), "", err)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, SSOLink{URL: t.URL, ExpiresAt: t.Expires.UTC()})
}
