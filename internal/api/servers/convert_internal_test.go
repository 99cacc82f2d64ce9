package servers

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// fakeVNC answers the VNC calls of the console; every other method is the
// nil interface's (unused).
type fakeVNC struct {
	VirtFusion
	get     []*virtfusion.VNC // answers of successive GETs (the last repeats)
	getErr  error
	enable  *virtfusion.VNC
	enErr   error
	gets    int
	enables int
}

func (f *fakeVNC) VNC(context.Context, int64) (*virtfusion.VNC, error) {
	f.gets++
	if f.getErr != nil {
		return nil, f.getErr
	}
	return f.get[min(f.gets, len(f.get))-1], nil
}

func (f *fakeVNC) EnableVNC(context.Context, int64) (*virtfusion.VNC, error) {
	f.enables++
	return f.enable, f.enErr
}

func TestConsoleVNC(t *testing.T) {
	off := &virtfusion.VNC{Enabled: false}
	offWithURL := &virtfusion.VNC{Enabled: false, WSSURL: "/vnc/?token=a", Password: "p"}
	on := &virtfusion.VNC{Enabled: true, WSSURL: "/vnc/?token=b", Password: "p"}
	busy := &panel.Error{Code: panel.ESERVERBUSY, Message: "busy"}
	tests := []struct {
		name        string
		f           *fakeVNC
		wantURL     string
		wantCode    string
		wantEnables int
	}{
		// The spec's GET /vnc example: enabled false, a usable wss.url.
		{"OKDisabledFlagWithURL", &fakeVNC{get: []*virtfusion.VNC{offWithURL}}, "/vnc/?token=a", "", 0},
		{"OKEnabledWhenNoURL", &fakeVNC{get: []*virtfusion.VNC{off}, enable: on}, "/vnc/?token=b", "", 1},
		{"OKEnableGaveNoURLReadAgain", &fakeVNC{get: []*virtfusion.VNC{off, on}, enable: off}, "/vnc/?token=b", "", 1},
		{"OKEnableFailedButGETHasURL", &fakeVNC{get: []*virtfusion.VNC{off, offWithURL}, enErr: busy}, "/vnc/?token=a", "", 1},
		{"ErrEnableFailed", &fakeVNC{get: []*virtfusion.VNC{off}, enErr: busy}, "", panel.ESERVERBUSY, 1},
		{"ErrNeverAURL", &fakeVNC{get: []*virtfusion.VNC{off}, enable: off}, "", panel.EUPSTREAM, 1},
		{"ErrGETFailsEnableWorks", &fakeVNC{getErr: errors.New("down"), enable: on}, "/vnc/?token=b", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &handlers{d: Deps{VirtFusion: tt.f}}
			v, err := h.consoleVNC(context.Background(), 7)
			if tt.wantCode != "" {
				if panel.ErrorCode(err) != tt.wantCode {
					t.Fatalf("got %v, want %s", err, tt.wantCode)
				}
			} else if err != nil || v.WSSURL != tt.wantURL {
				t.Fatalf("got %+v, %v; want %s", v, err, tt.wantURL)
			}
			if tt.f.enables != tt.wantEnables {
				t.Errorf("enabled %d times, want %d", tt.f.enables, tt.wantEnables)
			}
		})
	}
}

func TestProvisioning(t *testing.T) {
	tests := []struct {
		state      string
		commission int
		want       string
	}{
		{"", virtfusion.CommissionNotBuilt, panel.ProvisionAllocated},
		{"", virtfusion.CommissionBuilding, panel.ProvisionBuilding},
		{"", virtfusion.CommissionFailed, panel.ProvisionFailed}, // list items: commissioned 2
		{"", virtfusion.CommissionComplete, panel.ProvisionComplete},
		{"allocated", 0, panel.ProvisionAllocated},
		{"queued", 1, panel.ProvisionBuilding},
		{"failed", 2, panel.ProvisionFailed},
		{"complete", 3, panel.ProvisionComplete},
		{"installing", 1, panel.ProvisionBuilding}, // undocumented state: the status decides
		{"", 9, panel.ProvisionAllocated},
	}
	for _, tt := range tests {
		s := &virtfusion.Server{State: tt.state, CommissionStatus: tt.commission}
		if got := Provisioning(s); got != tt.want {
			t.Errorf("state %q status %d: got %s, want %s", tt.state, tt.commission, got, tt.want)
		}
	}
}

func TestMetricsMemory(t *testing.T) {
	tests := []struct {
		name       string
		mem        virtfusion.RemoteMemory
		memoryMB   int64
		total, use int64 // bytes
	}{
		{"Linux", virtfusion.RemoteMemory{TotalKB: 1000, MemAvailableKB: 400, ActualKB: 1024, UnusedKB: 500}, 1, 1000 << 10, 600 << 10},
		{"Balloon", virtfusion.RemoteMemory{ActualKB: 1024, UnusedKB: 24}, 1, 1024 << 10, 1000 << 10},
		// Windows guests report only memtotal and memfree.
		{"Windows", virtfusion.RemoteMemory{TotalKB: 2096692, FreeKB: 1048346}, 2048, 2096692 << 10, (2096692 - 1048346) << 10},
		{"Nothing", virtfusion.RemoteMemory{}, 2048, 2048 << 20, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &virtfusion.Server{Resources: virtfusion.Resources{MemoryMB: tt.memoryMB},
				RemoteState: &virtfusion.RemoteState{Running: true, Memory: tt.mem}}
			m := metrics(s, time.Unix(0, 0))
			if m.Memory.TotalBytes != tt.total || m.Memory.UsedBytes != tt.use {
				t.Errorf("got %+v, want total %d used %d", m.Memory, tt.total, tt.use)
			}
		})
	}
}

// fixture reads a VirtFusion client fixture.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "virtfusion", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSummarizeSecondaryInterfaces(t *testing.T) {
	var env struct{ Data virtfusion.Server }
	if err := json.Unmarshal(fixture(t, "server_secondary_interfaces.json"), &env); err != nil {
		t.Fatal(err)
	}
	s := Summarize(&env.Data, nil)
	if !slices.Equal(s.IPv4, []string{"198.51.100.20", "198.51.100.21"}) || !slices.Equal(s.PrivateIPv4, []string{"10.10.0.5"}) {
		t.Errorf("ipv4 %v private %v", s.IPv4, s.PrivateIPv4)
	}
	if len(s.IPv6) != 1 || !strings.HasPrefix(s.IPv6[0], "2001:db8:") {
		t.Errorf("ipv6 %v", s.IPv6)
	}
}

// TestSummarizeNoCreated: /servers/user/{id} items carry no created; the
// customer must never see 0001-01-01.
func TestSummarizeNoCreated(t *testing.T) {
	var env struct {
		Data virtfusion.FlexList[virtfusion.Server]
	}
	if err := json.Unmarshal(fixture(t, "user_servers.json"), &env); err != nil || len(env.Data) == 0 {
		t.Fatal(err)
	}
	b, err := json.Marshal(Summarize(&env.Data[0], nil))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "0001-01-01") || strings.Contains(string(b), "createdAt") {
		t.Errorf("got %s", b)
	}
}
