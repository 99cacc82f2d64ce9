package panel

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Kinds of status message an administrator may post.
const (
	StatusMaintenance = "maintenance"
	StatusIncident    = "incident"
)

// MaxStatusMessage bounds a status message's text, in characters.
const MaxStatusMessage = 500

// StatusMessage is the administrators' maintenance or incident notice,
// shown on the public status page and as a banner in the signed-in shell.
type StatusMessage struct {
	Kind      string    `json:"kind"` // StatusMaintenance or StatusIncident
	Text      string    `json:"text"`
	UpdatedAt time.Time `json:"updatedAt"`
	UpdatedBy string    `json:"-"` // user id of the administrator
}

// Valid reports each bad field of m.
func (m StatusMessage) Valid() map[string]string {
	bad := map[string]string{}
	if m.Kind != StatusMaintenance && m.Kind != StatusIncident {
		bad["kind"] = "Choose maintenance or incident."
	}
	if t := strings.TrimSpace(m.Text); t == "" {
		bad["text"] = "Write the message."
	} else if utf8.RuneCountInString(t) > MaxStatusMessage {
		bad["text"] = "Keep it to 500 characters."
	}
	return bad
}

// JobRun is the outcome of a scheduled job's latest run.
type JobRun struct {
	Name          string
	LastRunAt     time.Time
	LastOK        bool
	LastSuccessAt time.Time // zero when it never succeeded
}

// StatusStore keeps the status message and the latest job runs.
type StatusStore interface {
	// StatusMessage returns the current message; ENOTFOUND when none.
	StatusMessage(ctx context.Context) (*StatusMessage, error)
	// SetStatusMessage replaces the message.
	SetStatusMessage(ctx context.Context, m StatusMessage) error
	// ClearStatusMessage removes the message; no error when there is none.
	ClearStatusMessage(ctx context.Context) error
	// RecordJobRun records a run of the named job at, and whether it succeeded.
	RecordJobRun(ctx context.Context, name string, at time.Time, ok bool) error
	// JobRun returns the named job's latest run; ENOTFOUND when it never ran.
	JobRun(ctx context.Context, name string) (*JobRun, error)
}
