package servers

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// WebhookHandlers returns the handler of VirtFusion's outbound webhooks,
// for the webhooks function (merged there with billing's PayPal webhook).
// It needs Events and WebhookToken; Audit, Snapshots, Cache and Sink are
// used when set.
func WebhookHandlers(d Deps) httpx.Handlers {
	d.defaults()
	if d.Events == nil {
		panic("servers: WebhookHandlers needs Events")
	}
	h := &handlers{d: d, webhookTokenB64: base64.StdEncoding.EncodeToString([]byte(d.WebhookToken))}
	return httpx.Handlers{"POST /api/webhooks/virtfusion": httpx.HandlerFunc(h.webhook)}
}

// webhookBody is the part of a VirtFusion webhook body the panel reads.
// The docs fix no JSON type for ids ("<id>"), so every id is read leniently:
// a number and a string are the same id. The docs also say the server (and
// other objects) may be false, and PHP sends an empty object as [], so no
// object is required to be one: a delivery is refused only for what the
// panel cannot store.
type webhookBody struct {
	Event       virtfusion.FlexString                  `json:"event"`
	Created     json.RawMessage                        `json:"created"`
	HookEventID virtfusion.FlexString                  `json:"hookEventId"`
	EventStatus virtfusion.FlexString                  `json:"eventStatus"`
	Data        virtfusion.FlexObject[webhookDataJSON] `json:"data"`
}

type webhookDataJSON struct {
	Server json.RawMessage `json:"server"`
	User   virtfusion.FlexObject[struct {
		ID            virtfusion.FlexInt    `json:"id"`
		ExtRelationID virtfusion.FlexString `json:"extRelationId"`
		RelStr        virtfusion.FlexString `json:"relStr"` // not in the docs; read if a panel sends it
	}] `json:"user"`
}

// Bounds on what a delivery may name; longer values are refused (400)
// before anything reaches DynamoDB, whose keys are limited.
const (
	maxHookIDLen     = 128 // UUIDs and integers are far shorter
	maxHookEventLen  = 64
	maxHookStatusLen = 32
	maxHookUserIDLen = 128
)

// webhookDelivery is a parsed delivery: the event as the panel stores it
// (UserID is the user the event *names*, not yet checked) and the server
// object it carried, if any.
type webhookDelivery struct {
	ev  panel.ServerEvent
	srv *virtfusion.Server
	// namedVF are the VirtFusion user ids the event names (data.user.id,
	// the server's owner); they must agree with the panel's records.
	namedVF   []int64
	serverErr error // data.server was there but not readable
}

// parseWebhook reads a delivery's headers and body. The header wins for
// the delivery id, the body for the event name and status. Every refusal
// is an EINVALID naming the field.
func parseWebhook(hdr http.Header, raw []byte, receivedAt time.Time) (*webhookDelivery, error) {
	var body webhookBody
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, &panel.Error{Code: panel.EINVALID, Message: "The webhook body is not a VirtFusion event.", Err: err}
	}
	ev := panel.ServerEvent{
		ID:         firstNonEmpty(hdr.Get("X-VirtFusion-Hook-Event"), string(body.HookEventID)),
		Event:      firstNonEmpty(string(body.Event), hdr.Get("X-VirtFusion-Event")),
		Status:     firstNonEmpty(string(body.EventStatus), hdr.Get("X-VirtFusion-Event-Status")),
		ReceivedAt: receivedAt,
	}
	var created virtfusion.FlexTime
	if json.Unmarshal(body.Created, &created) == nil {
		ev.At = created.Time // an unreadable date is no reason to refuse
	}
	fields := map[string]string{}
	checkText := func(field, v string, maxLen int, required bool) {
		switch {
		case v == "" && required:
			fields[field] = "Required."
		case len(v) > maxLen:
			fields[field] = fmt.Sprintf("At most %d characters.", maxLen)
		case !printable(v):
			fields[field] = "Must be printable text."
		}
	}
	checkText("hookEventId", ev.ID, maxHookIDLen, true)
	checkText("event", ev.Event, maxHookEventLen, true)
	checkText("eventStatus", ev.Status, maxHookStatusLen, false)
	if len(fields) > 0 {
		return nil, panel.Invalid(fields)
	}
	if ev.At.IsZero() {
		ev.At = receivedAt
	}
	ev.Kind = eventKind(ev.Event, ev.Status)
	d := &webhookDelivery{}
	data := body.Data.V
	if len(data.Server) > 0 && data.Server[0] == '{' {
		var sv virtfusion.Server
		if err := json.Unmarshal(data.Server, &sv); err != nil {
			// Refusing would make VirtFusion retry forever; the event is
			// still worth storing without its server.
			d.serverErr = err
		} else if sv.ID > 0 {
			d.srv = &sv
			ev.ServerID, ev.ServerName, ev.VFUserID = sv.ID, sv.Name, sv.OwnerID
			if sv.OwnerID > 0 {
				d.namedVF = append(d.namedVF, sv.OwnerID)
			}
		}
	}
	if u := data.User.Ptr(); u != nil {
		ev.UserID = firstNonEmpty(string(u.RelStr), string(u.ExtRelationID))
		if len(ev.UserID) > maxHookUserIDLen || !printable(ev.UserID) {
			ev.UserID = "" // no panel user id looks like this: it names nobody
		}
		if u.ID > 0 {
			d.namedVF = append(d.namedVF, int64(u.ID))
			if ev.VFUserID == 0 {
				ev.VFUserID = int64(u.ID)
			}
		}
	}
	d.ev = ev
	return d, nil
}

// printable reports whether s is valid UTF-8 without control characters.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// eventKind normalises VirtFusion's event name and status.
func eventKind(event, status string) string {
	failed := status != "" && status != "success"
	switch event {
	case "server.create":
		return panel.ServerEventCreated
	case "server.build", "server.rebuild", "server.reinstall":
		if failed {
			return panel.ServerEventBuildFailed
		}
		return panel.ServerEventBuilt
	case "server.suspend":
		return panel.ServerEventSuspended
	case "server.unsuspend":
		return panel.ServerEventUnsuspended
	case "server.delete", "server.destroy":
		return panel.ServerEventDeleted
	case "server.boot", "server.shutdown", "server.restart", "server.poweroff":
		return panel.ServerEventPower
	}
	return panel.ServerEventOther
}

// activityDetail is the customer-facing line for an event.
func activityDetail(kind, name string) string {
	if name == "" {
		name = "Your server"
	}
	switch kind {
	case panel.ServerEventCreated:
		return name + " was created."
	case panel.ServerEventBuilt:
		return name + " finished installing."
	case panel.ServerEventBuildFailed:
		return name + " failed to install."
	case panel.ServerEventSuspended:
		return name + " was suspended."
	case panel.ServerEventUnsuspended:
		return name + " was unsuspended."
	case panel.ServerEventDeleted:
		return name + " was deleted."
	}
	return ""
}

// webhook is POST /api/webhooks/virtfusion. It checks the bearer token,
// stores the delivery once (a repeated delivery id is acknowledged without
// side effects), refreshes what the panel caches about the server, writes
// the owner's activity and hands the event to billing. Only a failure to
// store the event or to hand it on answers non-2xx, so VirtFusion retries.
func (h *handlers) webhook(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if !h.webhookAuthorized(r) {
		return panel.Errorf(panel.EUNAUTHORIZED, "Wrong or missing webhook token.")
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &panel.Error{Code: panel.ETOOLARGE, Message: "The webhook body is too large."}
		}
		return panel.Errorf(panel.EINVALID, "The webhook body could not be read.")
	}
	d, err := parseWebhook(r.Header, raw, h.d.Now().UTC())
	if err != nil {
		return err
	}
	ev, srv := d.ev, d.srv
	if d.serverErr != nil {
		httpx.Logger(ctx).Warn("virtfusion webhook: server not readable", "event", ev.Event, "err", d.serverErr)
	}
	// The event names a user and a server; activity goes only to the
	// panel user who really owns that server.
	ev.UserID = h.eventOwner(ctx, ev, d.namedVF)
	log := httpx.Logger(ctx).With("delivery", ev.ID, "event", ev.Event, "server", ev.ServerID)

	fresh, delivered, err := h.d.Events.RecordServerEvent(ctx, ev, redactSecrets(raw))
	if err != nil {
		return err
	}
	if fresh {
		h.applyEvent(ctx, ev, srv)
	} else {
		log.Info("virtfusion webhook: repeated delivery", "delivered", delivered)
	}
	if !delivered && h.d.Sink != nil {
		if err := h.d.Sink.ServerEvent(ctx, ev); err != nil {
			LogDelivery(ctx, h.d.Hooks, ev, raw, err, "")
			// Stored but not handed on: VirtFusion's retry (or a job reading
			// PendingServerEvents) delivers it again.
			return &panel.Error{Code: panel.EUNAVAILABLE, Message: "The event was stored but not processed; retry.",
				RetryAfter: h.d.RetryHint, Err: fmt.Errorf("virtfusion webhook: sink: %w", err)}
		}
		if err := h.d.Events.MarkServerEventDelivered(ctx, ev.ID); err != nil {
			log.Warn("virtfusion webhook: mark delivered failed", "err", err)
		}
	}
	if fresh || !delivered {
		LogDelivery(ctx, h.d.Hooks, ev, raw, nil, "")
	}
	log.Info("virtfusion webhook", "kind", ev.Kind, "fresh", fresh)
	return httpx.Encode(w, http.StatusOK, WebhookAck{OK: true, Duplicate: !fresh})
}

// eventOwner returns the panel user who owns the event's server, or "".
// A delivery can name one customer's server and another's user, so the
// names are believed only when they agree with the panel's own records:
// billing's record of the server, else the panel user the event names
// checked against the server's owner in VirtFusion.
func (h *handlers) eventOwner(ctx context.Context, ev panel.ServerEvent, namedVF []int64) string {
	if ev.ServerID <= 0 {
		return ""
	}
	log := httpx.Logger(ctx).With("delivery", ev.ID, "server", ev.ServerID)
	agrees := func(userID string, vfUserID int64) bool {
		if ev.UserID != "" && ev.UserID != userID {
			return false
		}
		for _, id := range namedVF {
			if id != vfUserID {
				return false
			}
		}
		return vfUserID > 0
	}
	mismatch := func(ownerVF int64) string {
		log.Warn("virtfusion webhook: the event names another user than the server's owner; no activity written",
			"namedUser", ev.UserID, "namedVF", namedVF, "ownerVF", ownerVF)
		return ""
	}
	if h.d.Owners != nil {
		rec, err := h.d.Owners.BilledServer(ctx, ev.ServerID)
		switch {
		case err == nil:
			if !agrees(rec.UserID, rec.VFUserID) {
				return mismatch(rec.VFUserID)
			}
			return rec.UserID
		case panel.ErrorCode(err) != panel.ENOTFOUND:
			log.Warn("virtfusion webhook: owner lookup failed", "err", err)
			return ""
		}
	}
	// Not a server the panel ordered: believe the named user only if
	// VirtFusion says that user's account owns the server now.
	if ev.UserID == "" || h.d.Users == nil || h.d.VirtFusion == nil {
		return ""
	}
	u, err := h.d.Users.User(ctx, ev.UserID)
	if err != nil || u.VFUserID == 0 {
		return ""
	}
	live, err := h.d.VirtFusion.GetServer(ctx, ev.ServerID, false)
	if err != nil {
		log.Info("virtfusion webhook: server owner not confirmed", "err", err)
		return ""
	}
	if live.OwnerID != u.VFUserID || !agrees(u.ID, u.VFUserID) {
		return mismatch(live.OwnerID)
	}
	return u.ID
}

// applyEvent refreshes the caches and writes the owner's activity. Its
// failures are logged only: the event itself is safely stored.
func (h *handlers) applyEvent(ctx context.Context, ev panel.ServerEvent, srv *virtfusion.Server) {
	log := httpx.Logger(ctx)
	if ev.ServerID > 0 {
		h.d.Cache.Invalidate(ev.ServerID)
		if h.d.Snapshots != nil {
			var err error
			if ev.Kind == panel.ServerEventDeleted {
				err = h.d.Snapshots.DeleteServerSnapshot(ctx, ev.ServerID)
			} else if srv != nil {
				snap := virtfusion.Summarize(srv, nil)
				// The webhook's server has no live state or package: keep
				// what the last snapshot knew.
				if old, gerr := h.d.Snapshots.ServerSnapshots(ctx, []int64{srv.ID}); gerr == nil && old[srv.ID] != nil {
					if snap.Package == nil {
						snap.Package = old[srv.ID].Package
					}
					if snap.Location == nil {
						snap.Location = old[srv.ID].Location
					}
					if snap.OS.Name == "" {
						snap.OS = old[srv.ID].OS // the webhook's server may carry "os": null
					}
					if snap.CreatedAt.IsZero() {
						snap.CreatedAt = old[srv.ID].CreatedAt
					}
				}
				err = h.d.Snapshots.PutServerSnapshots(ctx, []*panel.Server{snap})
			}
			if err != nil {
				log.Warn("virtfusion webhook: snapshot update failed", "err", err)
			}
		}
	}
	if h.d.AlertEvents != nil && ev.ServerID > 0 && (ev.Event == "server.shutdown" || ev.Event == "server.poweroff") {
		if st, err := h.d.AlertEvents.Stopped(ctx, ev.ServerID, ev.ServerName, ev.At); err != nil {
			log.Warn("virtfusion webhook: stop alerts not evaluated", "err", err)
		} else if st.Fired > 0 {
			log.Info("virtfusion webhook: stop alerts fired", "fired", st.Fired)
		}
	}
	if h.d.Audit != nil && ev.UserID != "" && ev.ServerID > 0 {
		h.recordEvent(ctx, ev)
	}
}

// eventActivity maps a normalised event kind to its activity kind.
var eventActivity = map[string]panel.ActivityKind{
	panel.ServerEventCreated: panel.ActServerCreated, panel.ServerEventBuilt: panel.ActServerBuilt,
	panel.ServerEventBuildFailed: panel.ActServerBuildFailed, panel.ServerEventSuspended: panel.ActServerSuspended,
	panel.ServerEventUnsuspended: panel.ActServerUnsuspended, panel.ServerEventDeleted: panel.ActServerDeleted,
	panel.ServerEventPower: panel.ActServerPowerChanged, panel.ServerEventOther: panel.ActServerEvent,
}

// panelPowerWindow is how long after a power action asked through the
// panel VirtFusion's webhook for it is taken as that action finishing.
const panelPowerWindow = 15 * time.Minute

// recordEvent writes a webhook event to its owner's activity. A power
// change the customer asked for through the panel is already there (as
// server.power), so only power changes made elsewhere are written.
func (h *handlers) recordEvent(ctx context.Context, ev panel.ServerEvent) {
	log := httpx.Logger(ctx)
	kind, ok := eventActivity[ev.Kind]
	if !ok {
		kind = panel.ActServerEvent
	}
	e := panel.AuditEntry{UserID: ev.UserID, Actor: panel.ActorSystem, Action: kind, Target: serverTarget(ev.ServerID),
		Outcome: panel.OutcomeOK, Detail: activityDetail(ev.Kind, ev.ServerName), At: ev.At}
	switch ev.Kind {
	case panel.ServerEventBuildFailed:
		e.Outcome = panel.OutcomeError
	case panel.ServerEventPower:
		e.Detail = panel.PowerActionOf(ev.Event)
		recent, _, err := h.d.Audit.TargetActivity(ctx, ev.UserID, e.Target, "", 10)
		if err != nil {
			log.Warn("virtfusion webhook: recent activity not read", "err", err)
		}
		for _, a := range recent {
			if d := a.At.Sub(ev.At).Abs(); a.Action == panel.ActServerPower && a.Outcome == panel.OutcomeOK &&
				a.Detail == e.Detail && d <= panelPowerWindow {
				return
			}
		}
	case panel.ServerEventOther:
		e.Detail = ev.Event
	}
	if err := h.d.Audit.RecordAudit(ctx, e); err != nil {
		log.Warn("virtfusion webhook: activity write failed", "err", err)
	}
}

// webhookAuthorized checks "Authorization: Bearer <token>" in constant
// time. VirtFusion sends the configured token base64-encoded; the raw
// token is accepted too. No configured token refuses everything.
func (h *handlers) webhookAuthorized(r *http.Request) bool {
	want := h.d.WebhookToken
	if want == "" {
		httpx.Logger(r.Context()).Error("virtfusion webhook: VIRTFUSION_WEBHOOK_TOKEN is not set; refusing")
		return false
	}
	scheme, got, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	got = strings.TrimSpace(got)
	// Both comparisons always run, so timing does not say which was close.
	a := subtle.ConstantTimeCompare([]byte(got), []byte(h.webhookTokenB64))
	b := subtle.ConstantTimeCompare([]byte(got), []byte(want))
	return a|b == 1
}

// redactSecrets blanks out a webhook body's secrets (panel.RedactJSON).
func redactSecrets(raw []byte) []byte { return panel.RedactJSON(raw) }

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// LogDelivery records a VirtFusion delivery's outcome in the operator
// console's webhook log (hooks nil: none), its body redacted. A log that
// cannot be written is only logged.
func LogDelivery(ctx context.Context, hooks panel.WebhookLog, ev panel.ServerEvent, raw []byte, err error, by string) {
	if hooks == nil {
		return
	}
	d := panel.WebhookDelivery{Source: panel.WebhookVirtFusion, ID: ev.ID, EventType: ev.Event, State: panel.WebhookProcessed,
		ReceivedAt: ev.ReceivedAt, Payload: string(redactSecrets(raw)), ReprocessedBy: by}
	switch {
	case err != nil:
		d.State, d.Error = panel.WebhookFailed, err.Error()
	case ev.Kind == panel.ServerEventOther:
		d.State = panel.WebhookIgnored
	}
	if lerr := hooks.RecordWebhook(context.WithoutCancel(ctx), d); lerr != nil {
		httpx.Logger(ctx).Warn("virtfusion webhook: webhook log", "delivery", ev.ID, "err", lerr)
	}
}
