package servers

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// AlertView is one alert rule as the customer sees it: the webhook URL is
// a secret, so only its host is shown.
type AlertView struct {
	panel.AlertRule
	WebhookHost string `json:"webhookHost,omitempty"`
}

// AlertList is the body of GET /api/servers/{id}/alerts.
type AlertList struct {
	Items []AlertView `json:"items"`
}

// AlertBody is the body answering a created or changed alert.
type AlertBody struct {
	Alert AlertView `json:"alert"`
}

// AlertRequest is the body of POST /api/servers/{id}/alerts and of PUT
// /api/servers/{id}/alerts/{alertId}. On PUT the kind cannot change, and a
// missing webhookUrl keeps the one set ("" removes it).
type AlertRequest struct {
	Kind            panel.AlertKind `json:"kind" enum:"cpu,traffic,stopped"`
	CPUPercent      int             `json:"cpuPercent,omitempty"`
	Minutes         int             `json:"minutes,omitempty"`
	TrafficPercent  int             `json:"trafficPercent,omitempty"`
	CooldownMinutes int             `json:"cooldownMinutes,omitempty"`
	Email           bool            `json:"email"`
	WebhookURL      *string         `json:"webhookUrl,omitempty"`
	Enabled         *bool           `json:"enabled,omitempty"`
}

func alertView(r *panel.AlertRule) AlertView {
	return AlertView{AlertRule: *r, WebhookHost: panel.WebhookHost(r.WebhookURL)}
}

// alertRules returns the alert store, or ENOTFOUND when alerts are not
// set up in this function.
func (h *handlers) alertRules() (panel.AlertStore, error) {
	if h.d.Alerts == nil {
		return nil, panel.NotFound("alerts")
	}
	return h.d.Alerts, nil
}

// listAlerts is GET /api/servers/{id}/alerts.
func (h *handlers) listAlerts(w http.ResponseWriter, r *http.Request) error {
	store, err := h.alertRules()
	if err != nil {
		return err
	}
	s, err := h.owned(r, false)
	if err != nil {
		return err
	}
	rules, err := store.AlertRules(r.Context(), s.ID)
	if err != nil {
		return err
	}
	out := AlertList{Items: []AlertView{}}
	for _, rule := range rules {
		out.Items = append(out.Items, alertView(rule))
	}
	return httpx.Encode(w, http.StatusOK, out)
}

// apply copies the request's settings onto rule and validates the result,
// webhook URL included.
func (h *handlers) apply(req AlertRequest, rule *panel.AlertRule) error {
	rule.CPUPercent, rule.Minutes, rule.TrafficPercent, rule.CooldownMinutes, rule.Email =
		req.CPUPercent, req.Minutes, req.TrafficPercent, req.CooldownMinutes, req.Email
	if req.WebhookURL != nil {
		rule.WebhookURL = strings.TrimSpace(*req.WebhookURL)
	}
	if req.Enabled != nil {
		rule.Enabled = *req.Enabled
	}
	bad := rule.Validate()
	if rule.WebhookURL != "" {
		if msg := panel.CheckWebhookURL(rule.WebhookURL, h.d.AllowPrivateHooks); msg != "" {
			if bad == nil {
				bad = map[string]string{}
			}
			bad["webhookUrl"] = msg
		}
	}
	if bad != nil {
		return panel.Invalid(bad)
	}
	return nil
}

// createAlert is POST /api/servers/{id}/alerts.
func (h *handlers) createAlert(w http.ResponseWriter, r *http.Request) error {
	store, err := h.alertRules()
	if err != nil {
		return err
	}
	req, err := httpx.Decode[AlertRequest](r)
	if err != nil {
		return err
	}
	s, err := h.owned(r, false)
	if err != nil {
		return err
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	rule := &panel.AlertRule{ID: hex.EncodeToString(b[:]), ServerID: s.ID, UserID: principal(r).UserID, Kind: req.Kind,
		Enabled: true, CreatedAt: h.d.Now().UTC()}
	if err := h.apply(req, rule); err != nil {
		return err
	}
	err = store.CreateAlertRule(r.Context(), rule)
	h.audit(r, panel.ActAlertCreate, serverTarget(s.ID), string(rule.Kind), err)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusCreated, AlertBody{Alert: alertView(rule)})
}

// ownedAlert returns the rule in the path on a server the caller owns.
func (h *handlers) ownedAlert(r *http.Request) (panel.AlertStore, *panel.AlertRule, error) {
	store, err := h.alertRules()
	if err != nil {
		return nil, nil, err
	}
	s, err := h.owned(r, false)
	if err != nil {
		return nil, nil, err
	}
	rules, err := store.AlertRules(r.Context(), s.ID)
	if err != nil {
		return nil, nil, err
	}
	for _, rule := range rules {
		if rule.ID == r.PathValue("alertId") {
			return store, rule, nil
		}
	}
	return nil, nil, panel.NotFound("alert")
}

// updateAlert is PUT /api/servers/{id}/alerts/{alertId}.
func (h *handlers) updateAlert(w http.ResponseWriter, r *http.Request) error {
	req, err := httpx.Decode[AlertRequest](r)
	if err != nil {
		return err
	}
	store, rule, err := h.ownedAlert(r)
	if err != nil {
		return err
	}
	if req.Kind != rule.Kind {
		return panel.Invalid(map[string]string{"kind": "The kind of an alert cannot change; add a new alert instead."})
	}
	if err := h.apply(req, rule); err != nil {
		return err
	}
	err = store.UpdateAlertRule(r.Context(), rule)
	h.audit(r, panel.ActAlertUpdate, serverTarget(rule.ServerID), string(rule.Kind), err)
	if err != nil {
		return err
	}
	rule.Firing = false
	return httpx.Encode(w, http.StatusOK, AlertBody{Alert: alertView(rule)})
}

// deleteAlert is DELETE /api/servers/{id}/alerts/{alertId}.
func (h *handlers) deleteAlert(w http.ResponseWriter, r *http.Request) error {
	store, rule, err := h.ownedAlert(r)
	if err != nil {
		return err
	}
	err = store.DeleteAlertRule(r.Context(), rule.ServerID, rule.ID)
	h.audit(r, panel.ActAlertDelete, serverTarget(rule.ServerID), string(rule.Kind), err)
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
