// Package orders serves ordering and deleting servers (POST and DELETE
// /api/servers), which move money and so belong to billing; the servers
// function mounts them with its other routes.
package orders

import (
	"net/http"
	"strconv"

	bill "github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// DeleteRequest is the body of DELETE /api/servers/{id}.
type DeleteRequest struct {
	Confirm string `json:"confirm"`
}

// Valid reports the invalid fields.
func (d DeleteRequest) Valid() map[string]string {
	if d.Confirm == "" {
		return map[string]string{"confirm": "Type the server's name to confirm."}
	}
	return nil
}

// OrderCreated documents the answer to POST /api/servers (bill.OrderResult,
// whose server is stored as raw JSON for replays): the new server and its
// first root password, shown this once.
type OrderCreated struct {
	Server       panel.Server `json:"server"`
	RootPassword string       `json:"rootPassword"`
}

// ServerDeleted is the answer to DELETE /api/servers/{id}.
type ServerDeleted struct {
	OK bool `json:"ok"`
}

// Handlers returns POST /api/servers and DELETE /api/servers/{id}.
func Handlers(svc *bill.Service) httpx.Handlers {
	h := &handlers{svc: svc}
	return httpx.Handlers{
		"POST /api/servers":        httpx.HandlerFunc(h.order),
		"DELETE /api/servers/{id}": httpx.HandlerFunc(h.delete),
	}
}

// handlers serves ordering and deleting servers from the billing service.
type handlers struct{ svc *bill.Service }

// order serves POST /api/servers.
func (h *handlers) order(w http.ResponseWriter, r *http.Request) error {
	p := panel.PrincipalFrom(r.Context())
	if p == nil {
		return panel.Errorf(panel.EUNAUTHORIZED, "Please sign in.")
	}
	if err := panel.RequireVerifiedEmail(p); err != nil {
		return err
	}
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		return panel.Invalid(map[string]string{"Idempotency-Key": "Send an Idempotency-Key header, unique per order."})
	}
	req, err := httpx.Decode[bill.OrderRequest](r)
	if err != nil {
		return err
	}
	res, err := h.svc.PlaceOrder(r.Context(), p, key, req)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusCreated, res)
}

// delete serves DELETE /api/servers/{id}.
func (h *handlers) delete(w http.ResponseWriter, r *http.Request) error {
	p := panel.PrincipalFrom(r.Context())
	if p == nil {
		return panel.Errorf(panel.EUNAUTHORIZED, "Please sign in.")
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return panel.NotFound("server")
	}
	req, err := httpx.Decode[DeleteRequest](r)
	if err != nil {
		return err
	}
	if err := h.svc.DeleteServer(r.Context(), p, id, req.Confirm); err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusAccepted, ServerDeleted{OK: true})
}
