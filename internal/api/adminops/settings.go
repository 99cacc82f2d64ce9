package adminops

import (
	"net/http"
	"strings"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// SettingsView is the body of GET and PUT /api/admin/settings: the
// settings in force (saved, else the defaults) and the defaults.
type SettingsView struct {
	Settings panel.Settings `json:"settings"`
	Defaults panel.Settings `json:"defaults"`
	// Saved is false while the defaults are in force.
	Saved bool `json:"saved"`
}

// SettingsRequest is the body of PUT /api/admin/settings; Version is the
// version the administrator loaded (0 when never saved).
type SettingsRequest struct {
	panel.Settings
}

// Valid reports each bad field.
func (s SettingsRequest) Valid() map[string]string { return s.Settings.Valid() }

func (h *handlers) current(r *http.Request) (panel.Settings, bool, error) {
	st, err := h.d.Settings.Settings(r.Context())
	if panel.ErrorCode(err) == panel.ENOTFOUND {
		return h.d.Defaults, false, nil
	}
	if err != nil {
		return panel.Settings{}, false, err
	}
	return *st, true, nil
}

// getSettings serves GET /api/admin/settings.
func (h *handlers) getSettings(w http.ResponseWriter, r *http.Request) error {
	if _, err := admin(r); err != nil {
		return err
	}
	st, saved, err := h.current(r)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, SettingsView{Settings: st, Defaults: h.d.Defaults, Saved: saved})
}

// putSettings serves PUT /api/admin/settings. The save is conditional on
// the version the administrator loaded, so a concurrent save is a 409.
func (h *handlers) putSettings(w http.ResponseWriter, r *http.Request) error {
	p, err := admin(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[SettingsRequest](r)
	if err != nil {
		return err
	}
	before, _, err := h.current(r)
	if err != nil {
		return err
	}
	next := req.Settings
	next.CompanyName, next.Announcement = strings.TrimSpace(next.CompanyName), strings.TrimSpace(next.Announcement)
	next.PrimaryColor, next.AccentColor = strings.ToLower(next.PrimaryColor), strings.ToLower(next.AccentColor)
	next.Version, next.UpdatedAt, next.UpdatedBy = req.Version+1, h.d.now(), p.UserID
	err = h.d.Settings.PutSettings(r.Context(), next)
	h.audit(r, p, panel.ActSettingsUpdate, "settings", before, next, err)
	if err != nil {
		return err
	}
	if h.d.Forget != nil {
		h.d.Forget()
	}
	return httpx.Encode(w, http.StatusOK, SettingsView{Settings: next, Defaults: h.d.Defaults, Saved: true})
}
