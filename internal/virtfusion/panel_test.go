package virtfusion

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

func TestProvisioning(t *testing.T) {
	tests := []struct {
		state      string
		commission int
		want       string
	}{
		{"", CommissionNotBuilt, panel.ProvisionAllocated},
		{"", CommissionBuilding, panel.ProvisionBuilding},
		{"", CommissionFailed, panel.ProvisionFailed}, // list items: commissioned 2
		{"", CommissionComplete, panel.ProvisionComplete},
		{"allocated", 0, panel.ProvisionAllocated},
		{"queued", 1, panel.ProvisionBuilding},
		{"failed", 2, panel.ProvisionFailed},
		{"complete", 3, panel.ProvisionComplete},
		{"installing", 1, panel.ProvisionBuilding}, // undocumented state: the status decides
		{"", 9, panel.ProvisionAllocated},
	}
	for _, tt := range tests {
		s := &Server{State: tt.state, CommissionStatus: tt.commission}
		if got := Provisioning(s); got != tt.want {
			t.Errorf("state %q status %d: got %s, want %s", tt.state, tt.commission, got, tt.want)
		}
	}
}

func TestMetricsMemory(t *testing.T) {
	tests := []struct {
		name       string
		mem        RemoteMemory
		memoryMB   int64
		total, use int64 // bytes
	}{
		{"Linux", RemoteMemory{TotalKB: 1000, MemAvailableKB: 400, ActualKB: 1024, UnusedKB: 500}, 1, 1000 << 10, 600 << 10},
		{"Balloon", RemoteMemory{ActualKB: 1024, UnusedKB: 24}, 1, 1024 << 10, 1000 << 10},
		// Windows guests report only memtotal and memfree.
		{"Windows", RemoteMemory{TotalKB: 2096692, FreeKB: 1048346}, 2048, 2096692 << 10, (2096692 - 1048346) << 10},
		{"Nothing", RemoteMemory{}, 2048, 2048 << 20, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Server{Resources: Resources{MemoryMB: tt.memoryMB},
				RemoteState: &RemoteState{Running: true, Memory: tt.mem}}
			m := ServerMetrics(s, time.Unix(0, 0))
			if m.Memory.TotalBytes != tt.total || m.Memory.UsedBytes != tt.use {
				t.Errorf("got %+v, want total %d used %d", m.Memory, tt.total, tt.use)
			}
		})
	}
}

func TestSummarizeSecondaryInterfaces(t *testing.T) {
	var env struct{ Data Server }
	if err := json.Unmarshal(MustFixture(t, "server_secondary_interfaces.json"), &env); err != nil {
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
		Data FlexList[Server]
	}
	if err := json.Unmarshal(MustFixture(t, "user_servers.json"), &env); err != nil || len(env.Data) == 0 {
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

func TestIconSlug(t *testing.T) {
	for in, want := range map[string]string{"debian_logo.png": "debian", "Ubuntu 24.04 LTS": "ubuntu", "rocky_logo.png": "rocky",
		"Windows Server 2022": "windows", "": ""} {
		if got := IconSlug(in); got != want {
			t.Errorf("IconSlug(%q): got %q, want %q", in, got, want)
		}
	}
}
