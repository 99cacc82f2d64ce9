// Package health serves GET /api/health (the version and whether DynamoDB
// answers) and GET /api/openapi.json (the API's OpenAPI document).
package health

import (
	"context"
	"net/http"
	"time"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/openapi"
)

// Pinger checks that a dependency answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Report is the body of a healthy answer.
type Report struct {
	Status   string `json:"status"`
	Version  string `json:"version"`
	DynamoDB string `json:"dynamodb"`
}

// Handlers returns the health function's routes.
func Handlers(version string, db Pinger) httpx.Handlers {
	h := &handlers{version: version, db: db}
	return httpx.Handlers{
		"GET /api/health":       httpx.HandlerFunc(h.health),
		"GET /api/openapi.json": openapi.Handler(),
	}
}

// handlers serves the health route.
type handlers struct {
	version string
	db      Pinger
}

// health serves GET /api/health.
func (h *handlers) health(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if err := h.db.Ping(ctx); err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, Report{Status: "ok", Version: h.version, DynamoDB: "ok"})
}
