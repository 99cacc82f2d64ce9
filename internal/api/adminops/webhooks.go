package adminops

import (
	"context"
	"net/http"

	"github.com/vfpanel/vfpanel/internal/api/servers"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// ServerEvents is the part of the VirtFusion event store re-processing
// uses (dynamo.ServerEvents).
type ServerEvents interface {
	ServerEvent(ctx context.Context, id string) (panel.ServerEvent, []byte, error)
	MarkServerEventDelivered(ctx context.Context, id string) error
}

// Reprocessed is the answer to POST /api/admin/webhooks/{source}/{id}/reprocess.
type Reprocessed struct {
	Delivery panel.WebhookDelivery `json:"delivery"`
}

var (
	webhookSources = map[string]bool{"": true, panel.WebhookPayPal: true, panel.WebhookVirtFusion: true}
	webhookStates  = map[string]bool{"": true, panel.WebhookProcessed: true, panel.WebhookFailed: true, panel.WebhookIgnored: true}
)

// webhooks serves GET /api/admin/webhooks?source=&state=&type=&cursor=.
func (h *handlers) webhooks(w http.ResponseWriter, r *http.Request) error {
	if _, err := admin(r); err != nil {
		return err
	}
	q := r.URL.Query()
	f := panel.WebhookFilter{Source: q.Get("source"), State: q.Get("state"), EventType: q.Get("type"), Cursor: q.Get("cursor"), Limit: 25}
	bad := map[string]string{}
	if !webhookSources[f.Source] {
		bad["source"] = "Use paypal or virtfusion."
	}
	if !webhookStates[f.State] {
		bad["state"] = "Use processed, failed or ignored."
	}
	if len(f.EventType) > 64 {
		bad["type"] = "At most 64 characters."
	}
	if len(bad) > 0 {
		return panel.Invalid(bad)
	}
	ds, next, err := h.d.Hooks.Webhooks(r.Context(), f)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, panel.NewPage(ds, next))
}

// reprocess serves POST /api/admin/webhooks/{source}/{id}/reprocess: the
// stored event goes through the same path as its delivery, so it moves
// money (or stops billing) at most once, whatever the earlier outcome.
func (h *handlers) reprocess(w http.ResponseWriter, r *http.Request) error {
	p, err := admin(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	source, id := r.PathValue("source"), r.PathValue("id")
	if source == "" || !webhookSources[source] {
		return panel.NotFound("webhook delivery")
	}
	before, err := h.d.Hooks.Webhook(ctx, source, id)
	if err != nil {
		return err
	}
	switch source {
	case panel.WebhookPayPal:
		_, err = h.d.Billing.ReprocessPayPalEvent(ctx, id, p.UserID)
	case panel.WebhookVirtFusion:
		err = h.reprocessServerEvent(ctx, id, p.UserID)
	}
	type state struct {
		State    string `json:"state"`
		Attempts int    `json:"attempts"`
	}
	after, gerr := h.d.Hooks.Webhook(ctx, source, id)
	if gerr != nil {
		after = before
	}
	h.audit(r, p, panel.ActWebhookReprocess, "webhook:"+source+":"+id, state{before.State, before.Attempts}, state{after.State, after.Attempts}, err)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, Reprocessed{Delivery: *after})
}

// reprocessServerEvent hands a stored VirtFusion event to billing again.
// Billing applies server events idempotently (stopping a stopped server
// changes nothing).
func (h *handlers) reprocessServerEvent(ctx context.Context, id, by string) error {
	if h.d.Events == nil || h.d.Sink == nil {
		return panel.Errorf(panel.EUNAVAILABLE, "VirtFusion events cannot be re-processed here.")
	}
	ev, raw, err := h.d.Events.ServerEvent(ctx, id)
	if err != nil {
		return err
	}
	serr := h.d.Sink.ServerEvent(ctx, ev)
	servers.LogDelivery(ctx, h.d.Hooks, ev, raw, serr, by)
	if serr != nil {
		return &panel.Error{Code: panel.EUNAVAILABLE, Message: "Billing could not process the event; try again later.", Err: serr}
	}
	return h.d.Events.MarkServerEventDelivered(ctx, id)
}
