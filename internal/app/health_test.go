package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/localrun"
	"github.com/vfpanel/vfpanel/internal/routes"
)

// healthVia serves GET /api/health through the local runner (and so through
// the API Gateway v2 adapter) with DynamoDB at endpoint.
func healthVia(t *testing.T, endpoint, table string) (int, map[string]any) {
	t.Helper()
	cfg := config.Config{Version: "test", Region: "us-east-1", DynamoEndpoint: endpoint, TableName: table}
	deps, err := NewDeps(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	h, err := Health(deps)
	if err != nil {
		t.Fatal(err)
	}
	fns := map[string]localrun.LambdaHandler{}
	for _, f := range routes.Functions {
		fns[f] = localrun.Adapt(h)
	}
	rn, err := localrun.New(fns, "")
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	rn.ServeHTTP(rec, httptest.NewRequest("GET", "/api/health", nil))
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("body is not JSON: %s", rec.Body)
	}
	return rec.Code, body
}

func TestHealth(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		_, table := dynamotest.NewTable(t)
		status, body := healthVia(t, dynamotest.Endpoint(t), table)
		if status != http.StatusOK || body["dynamodb"] != "ok" || body["version"] != "test" {
			t.Errorf("got %d %v", status, body)
		}
	})
	t.Run("ErrDynamoDown", func(t *testing.T) {
		// Nothing listens on port 1: DynamoDB is "stopped".
		status, body := healthVia(t, "http://127.0.0.1:1", "vfpanel")
		errObj, _ := body["error"].(map[string]any)
		if status != http.StatusServiceUnavailable || errObj["code"] != "unavailable" {
			t.Errorf("got %d %v, want 503 unavailable", status, body)
		}
	})
}

// TestOriginKey checks the wiring: a configured origin key reaches every
// handler mounted from the Deps.
func TestOriginKey(t *testing.T) {
	const key = "origin-key-0123456789"
	cfg := config.Config{Version: "test", Region: "us-east-1", DynamoEndpoint: "http://127.0.0.1:1", TableName: "vfpanel", OriginKey: key}
	deps, err := NewDeps(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	h, err := Health(deps)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, header string
		status       int
	}{
		{"ErrMissing", "", http.StatusForbidden},
		{"ErrWrong", "guess", http.StatusForbidden},
		// Passes the check, then finds DynamoDB down (nothing on port 1).
		{"OK", key, http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/api/health", nil)
			if tt.header != "" {
				r.Header.Set(routes.OriginVerifyHeader, tt.header)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != tt.status {
				t.Errorf("got %d %s, want %d", rec.Code, rec.Body, tt.status)
			}
		})
	}
}
