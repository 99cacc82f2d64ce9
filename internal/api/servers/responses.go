package servers

import (
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// The bodies the servers function answers with; internal/apispec documents
// each route with them.

// ServerList is the body of GET /api/servers.
type ServerList struct {
	Servers []*panel.Server `json:"servers"`
}

// ServerBody is the body of PATCH /api/servers/{id}.
type ServerBody struct {
	Server panel.Server `json:"server"`
}

// ServerDetailBody is the body of GET /api/servers/{id}.
type ServerDetailBody struct {
	Server panel.ServerDetail `json:"server"`
}

// TaskBody is the body of power actions and of GET .../tasks/{taskId}.
type TaskBody struct {
	Task panel.Task `json:"task"`
}

// ReinstallStarted is the body of POST /api/servers/{id}/reinstall; the
// root password is shown this once.
type ReinstallStarted struct {
	Task         panel.Task `json:"task"`
	RootPassword string     `json:"rootPassword"`
}

// PasswordReset is the body of POST /api/servers/{id}/reset-password; the
// password is shown this once.
type PasswordReset struct {
	Password string     `json:"password"`
	Task     panel.Task `json:"task"`
}

// ConsoleAccess is the body of POST /api/servers/{id}/console: the VNC
// websocket URL and password for noVNC.
type ConsoleAccess struct {
	URL       string    `json:"url"`
	Password  string    `json:"password"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// SSOLink is the body of POST /api/servers/{id}/sso: a one-time sign-in
// link to VirtFusion's panel.
type SSOLink struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// TrafficBody is the body of GET /api/servers/{id}/traffic.
type TrafficBody struct {
	Periods []panel.TrafficPeriod `json:"periods"`
}

// BackupList is the body of GET /api/servers/{id}/backups.
type BackupList struct {
	Backups []panel.Backup `json:"backups"`
}

// SSHKeyList is the body of GET /api/account/ssh-keys.
type SSHKeyList struct {
	Keys []panel.SSHKey `json:"keys"`
}

// SSHKeyBody is the body of POST /api/account/ssh-keys.
type SSHKeyBody struct {
	Key panel.SSHKey `json:"key"`
}

// WebhookAck is the answer to a VirtFusion webhook delivery.
type WebhookAck struct {
	OK        bool `json:"ok"`
	Duplicate bool `json:"duplicate"`
}
