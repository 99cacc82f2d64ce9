package servers_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestUnbilledServer: a server the panel ordered and no longer bills (its
// order failed and VirtFusion could not delete it) is not the customer's
// to use, though VirtFusion still says they own it.
func TestUnbilledServer(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.sim.Advance()
	routesToTry := []struct {
		method, suffix string
		body           any
	}{
		{"GET", "", nil},
		{"PATCH", "", map[string]string{"name": "free server"}},
		{"POST", "/power", map[string]string{"action": "poweroff"}},
		{"GET", "/templates", nil},
		{"POST", "/reinstall", map[string]any{"templateId": 52, "hostname": "x.example.com", "confirm": "web-1"}},
		{"POST", "/reset-password", nil},
		{"GET", "/traffic", nil},
		{"GET", "/metrics", nil},
		{"POST", "/console", nil},
		{"POST", "/sso", nil},
		{"GET", "/backups", nil},
	}
	// Billed and active: the customer's.
	now := time.Now().UTC()
	bs := &panel.BilledServer{ServerID: e.aliceSrv, UserID: "u_alice", VFUserID: e.aliceVF, Name: "web-1", PackageID: 1,
		HourlyMinor: 1, Currency: "USD", ActiveSince: now, BilledThrough: now.Add(time.Hour)}
	if err := e.ledger.ImportServers(context.Background(), []*panel.BilledServer{bs}); err != nil {
		t.Fatal(err)
	}
	if r := e.do("GET", e.srvPath(e.aliceSrv, ""), nil); r.status != 200 {
		t.Fatalf("billed server: got %d %v", r.status, r.body)
	}
	if _, _, err := e.ledger.StopServer(context.Background(), e.aliceSrv, now, "order failed"); err != nil {
		t.Fatal(err)
	}
	for _, rt := range routesToTry {
		t.Run(fmt.Sprintf("ErrNotFound %s %s", rt.method, rt.suffix), func(t *testing.T) {
			r := e.do(rt.method, e.srvPath(e.aliceSrv, rt.suffix), rt.body)
			if r.status != 404 || r.code() != panel.ENOTFOUND {
				t.Errorf("got %d %v, want 404", r.status, r.body)
			}
		})
	}
	if snap, _ := e.sim.Server(int(e.aliceSrv)); snap.Name != "web-1" || snap.ActiveTaskID != 0 {
		t.Errorf("the unbilled server changed: %+v", snap)
	}
}
