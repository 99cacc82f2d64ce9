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

type renameRequest struct {
	Name string `json:"name"`
}

// Valid implements httpx.Validator.
func (q *renameRequest) Valid() map[string]string {
	if p := panel.ValidServerName(q.Name); p != "" {
		return map[string]string{"name": p}
	}
	return nil
}

// rename is PATCH /api/servers/{id}.
func (h *handlers) rename(w http.ResponseWriter, r *http.Request) error {
	req, err := httpx.Decode[renameRequest](r)
	if err != nil {
		return err
	}
	s, err := h.owned(r, true)
	if err != nil {
		return err
	}
	ctx := r.Context()
	err = h.d.VirtFusion.Rename(ctx, s.ID, req.Name)
	h.audit(r, "server.rename", serverTarget(s.ID), fmt.Sprintf("%q → %q", s.Name, req.Name), err)
	if err != nil {
		return err
	}
	h.d.Cache.Invalidate(s.ID)
	pkgs := h.packages(ctx)
	out := Summarize(s, pkgs)
	if l, err := h.live(ctx, s.ID); err == nil && l.OwnerID == s.OwnerID {
		out = Summarize(l, pkgs)
	}
	SetOrderedPackage(out, h.orderedPackages(ctx, []int64{s.ID})[s.ID], pkgs)
	out.Name = req.Name // VirtFusion may answer before the rename shows
	return httpx.Encode(w, http.StatusOK, map[string]any{"server": out})
}

type powerRequest struct {
	Action string `json:"action"`
}

// Valid implements httpx.Validator.
func (q *powerRequest) Valid() map[string]string {
	switch q.Action {
	case virtfusion.PowerBoot, virtfusion.PowerShutdown, virtfusion.PowerRestart, virtfusion.PowerOff:
		return nil
	}
	return map[string]string{"action": "Choose boot, shutdown, restart or poweroff."}
}

// power is POST /api/servers/{id}/power.
func (h *handlers) power(w http.ResponseWriter, r *http.Request) error {
	req, err := httpx.Decode[powerRequest](r)
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
		h.audit(r, "server.power", serverTarget(s.ID), req.Action, err)
		return err
	}
	qid, err := h.d.VirtFusion.Power(ctx, s.ID, req.Action)
	h.audit(r, "server.power", serverTarget(s.ID), req.Action, err)
	if err != nil {
		return err
	}
	h.d.Cache.Invalidate(s.ID)
	now := h.d.Now().UTC()
	t := panel.Task{ID: strconv.FormatInt(qid, 10), Action: req.Action, Status: panel.TaskPending, StartedAt: &now}
	return httpx.Encode(w, http.StatusAccepted, map[string]any{"task": t})
}

// ready refuses actions on a server that is suspended or not built yet.
func (h *handlers) ready(s *virtfusion.Server) error {
	if err := refuseSuspended(s); err != nil {
		return err
	}
	switch Provisioning(s) {
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

type reinstallRequest struct {
	TemplateID int64   `json:"templateId"`
	Hostname   string  `json:"hostname"`
	SSHKeyIDs  []int64 `json:"sshKeyIds"`
	Confirm    string  `json:"confirm"`
}

// Valid implements httpx.Validator.
func (q *reinstallRequest) Valid() map[string]string {
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
	req, err := httpx.Decode[reinstallRequest](r)
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
	if Provisioning(s) == panel.ProvisionBuilding {
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
	if !hasTemplate(gs, req.TemplateID) {
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
	detail := fmt.Sprintf("template %d, hostname %s", req.TemplateID, req.Hostname)
	if err := h.limit(r, "reinstall", h.d.Limits.Reinstall); err != nil {
		h.audit(r, "server.reinstall", serverTarget(s.ID), detail, err)
		return err
	}
	b, err := h.d.VirtFusion.BuildServer(ctx, s.ID, virtfusion.BuildServerRequest{OperatingSystemID: req.TemplateID,
		Name: s.Name, Hostname: req.Hostname, SSHKeys: req.SSHKeyIDs, Email: false})
	h.audit(r, "server.reinstall", serverTarget(s.ID), detail, err)
	if err != nil {
		return err
	}
	h.d.Cache.Invalidate(s.ID)
	now := h.d.Now().UTC()
	t := panel.Task{ID: h.buildTaskID(ctx, s.ID, b), Action: "reinstall", Status: panel.TaskPending, StartedAt: &now}
	return httpx.Encode(w, http.StatusAccepted, map[string]any{"task": t, "rootPassword": b.DecryptedPassword})
}

// buildTaskID finds the queue id of the build just started: the pending
// build task of the build response, else of the server read again. The
// pending task's id is only used once GET /queue/{id} confirms it is a
// build of this server (the docs do not promise the two ids are the
// same). Without one, the placeholder buildTaskID follows the build state.
func (h *handlers) buildTaskID(ctx context.Context, id int64, b *virtfusion.Server) string {
	log := httpx.Logger(ctx)
	pt, ok := b.PendingTask("build")
	if !ok {
		s, err := h.d.VirtFusion.GetServer(ctx, id, false)
		if err != nil {
			log.Warn("servers: reinstall: re-read for the build task failed", "server", id, "err", err)
			return buildTaskID
		}
		if pt, ok = s.PendingTask("build"); !ok {
			log.Warn("servers: reinstall: no pending build task; following the build state", "server", id)
			return buildTaskID
		}
	}
	q, err := h.d.VirtFusion.Queue(ctx, pt.ID)
	if err != nil || int64(q.ServerID) != id || !strings.Contains(strings.ToLower(string(q.Action)), "build") {
		log.Warn("servers: reinstall: pending build is not a queue item of the server; following the build state",
			"server", id, "pending", pt.ID, "err", err)
		return buildTaskID
	}
	return strconv.FormatInt(pt.ID, 10)
}

func hasTemplate(gs []virtfusion.TemplateGroup, id int64) bool {
	for _, g := range gs {
		for _, t := range g.Templates {
			if int64(t.ID) == id {
				return true
			}
		}
	}
	return false
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
	if strings.Contains(strings.ToLower(s.OSTemplateName), "windows") {
		user = "Administrator"
	}
	if err := h.limit(r, "reset-password", h.d.Limits.PasswordReset); err != nil {
		h.audit(r, "server.reset_password", serverTarget(s.ID), user, err)
		return err
	}
	res, err := h.d.VirtFusion.ResetServerPassword(r.Context(), s.ID, user)
	h.audit(r, "server.reset_password", serverTarget(s.ID), user, err)
	if err != nil {
		return err
	}
	now := h.d.Now().UTC()
	t := panel.Task{ID: strconv.FormatInt(int64(res.QueueID), 10), Action: "reset-password", Status: panel.TaskPending, StartedAt: &now}
	return httpx.Encode(w, http.StatusOK, map[string]any{"password": string(res.ExpectedPassword), "task": t})
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
	ctx := r.Context()
	v, err := h.d.VirtFusion.VNC(ctx, s.ID)
	if err == nil && (!v.Enabled || v.WSSURL == "") {
		var en *virtfusion.VNC
		if en, err = h.d.VirtFusion.EnableVNC(ctx, s.ID); err == nil {
			if en.WSSURL == "" {
				en, err = h.d.VirtFusion.VNC(ctx, s.ID)
			}
			v = en
		}
	}
	if err == nil && (v == nil || v.WSSURL == "") {
		err = &panel.Error{Code: panel.EUPSTREAM, Message: "The console is not available for this server right now.",
			Err: fmt.Errorf("virtfusion: vnc of server %d: no websocket url", s.ID)}
	}
	h.audit(r, "server.console", serverTarget(s.ID), "", err)
	if err != nil {
		return err
	}
	u, err := websocketURL(h.d.VirtFusion.PanelURL(), v.WSSURL)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, map[string]any{"url": u, "password": v.Password,
		"expiresAt": h.d.Now().Add(h.d.ConsoleTTL).UTC()})
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
	h.audit(r, "server.sso", serverTarget(s.ID), "", err)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, map[string]any{"url": t.URL, "expiresAt": t.Expires.UTC()})
}
