package catalog_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/vfpanel/vfpanel/internal/api/catalog"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/localrun"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/routes"
	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

type prices map[int64]panel.Price

func (p prices) Prices(context.Context) (map[int64]panel.Price, error) { return p, nil }

func newRunner(t *testing.T, pb panel.PriceBook) (*localrun.Runner, *vfsim.Sim) {
	t.Helper()
	sim := vfsim.New(vfsim.Options{Token: "tok"})
	url, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	vf, err := virtfusion.New(virtfusion.Config{PanelURL: url, Token: "tok", Timeout: 300 * time.Millisecond, CacheTTL: -1,
		Retry: virtfusion.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	h, err := httpx.Mount("catalog", catalog.Handlers(catalog.Deps{VirtFusion: vf, Prices: pb}), nil)
	if err != nil {
		t.Fatal(err)
	}
	fns := map[string]localrun.LambdaHandler{}
	for _, f := range routes.Functions {
		fns[f] = func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			return events.APIGatewayV2HTTPResponse{StatusCode: 404}, nil
		}
	}
	fns["catalog"] = localrun.Adapt(h)
	rn, err := localrun.New(fns, "")
	if err != nil {
		t.Fatal(err)
	}
	return rn, sim
}

func get(t *testing.T, rn http.Handler, path string) (int, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	rn.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("not JSON: %s", rec.Body)
	}
	return rec.Code, body
}

func TestCatalog(t *testing.T) {
	rn, sim := newRunner(t, prices{2: {HourlyMinor: 1, MonthlyCapMinor: 600, Currency: "USD"}})
	t.Run("OKLocations", func(t *testing.T) {
		status, body := get(t, rn, "/api/catalog/locations")
		locs, _ := body["locations"].([]any)
		if status != 200 || len(locs) != 3 {
			t.Fatalf("got %d %v", status, body)
		}
		l := locs[0].(map[string]any)
		if l["name"] != "London" || l["available"] != true || l["freeServers"].(float64) <= 0 || l["description"] == "" {
			t.Errorf("got %v", l)
		}
	})
	t.Run("OKPackages", func(t *testing.T) {
		status, body := get(t, rn, "/api/catalog/packages")
		pkgs, _ := body["packages"].([]any)
		if status != 200 || len(pkgs) != 5 { // the disabled "Legacy 512" is hidden
			t.Fatalf("got %d %v", status, body)
		}
		p1, p2 := pkgs[0].(map[string]any), pkgs[1].(map[string]any)
		if p1["price"] != nil || p1["memoryMb"] != float64(1024) {
			t.Errorf("package 1: got %v", p1)
		}
		if pr, _ := p2["price"].(map[string]any); pr["monthlyCapMinor"] != float64(600) || pr["currency"] != "USD" {
			t.Errorf("package 2: got %v", p2)
		}
	})
	t.Run("OKTemplates", func(t *testing.T) {
		status, body := get(t, rn, "/api/catalog/packages/2/templates")
		groups, _ := body["groups"].([]any)
		if status != 200 || len(groups) == 0 {
			t.Fatalf("got %d %v", status, body)
		}
		g := groups[0].(map[string]any)
		if g["icon"] != "debian" || len(g["templates"].([]any)) == 0 {
			t.Errorf("got %v", g)
		}
	})
	for _, path := range []string{"/api/catalog/packages/6/templates", "/api/catalog/packages/99/templates", "/api/catalog/packages/x/templates"} {
		t.Run("ErrNotFound "+path, func(t *testing.T) {
			if status, _ := get(t, rn, path); status != 404 {
				t.Errorf("got %d", status)
			}
		})
	}
	t.Run("ErrUpstream", func(t *testing.T) {
		sim.SetFault(vfsim.Fault{Status: 503})
		defer sim.ClearFaults()
		status, body := get(t, rn, "/api/catalog/packages")
		if e, _ := body["error"].(map[string]any); status != 503 || e["code"] != "unavailable" {
			t.Errorf("got %d %v", status, body)
		}
	})
	t.Run("OKNoPriceBook", func(t *testing.T) {
		rn, _ := newRunner(t, nil)
		if status, body := get(t, rn, "/api/catalog/packages"); status != 200 || body["packages"].([]any)[1].(map[string]any)["price"] != nil {
			t.Errorf("got %d %v", status, body)
		}
	})
}
