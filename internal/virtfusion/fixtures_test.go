package virtfusion

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// MustFixture reads testdata/name.
func MustFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// MustDecode decodes a fixture into T, failing on any error.
func MustDecode[T any](tb testing.TB, name string) T {
	tb.Helper()
	var v T
	if err := json.Unmarshal(MustFixture(tb, name), &v); err != nil {
		tb.Fatalf("decode %s: %v", name, err)
	}
	return v
}

// decoders maps every fixture to the client type it must decode into. A new
// fixture without an entry fails TestFixturesDecode.
var decoders = map[string]func([]byte) error{
	"server_remote_state.json":       decodeAs[envelope[Server]],
	"server_remote_state_false.json": decodeAs[envelope[Server]],
	"server_create.json":             decodeAs[envelope[Server]],
	"server_build.json":              decodeAs[envelope[Server]],
	// Constructed (no spec example has a non-empty secondaryInterfaces):
	// the spec's interface shape with type "private" on a second interface.
	"server_secondary_interfaces.json": decodeAs[envelope[Server]],
	"user_servers.json":                decodeAs[envelope[FlexList[Server]]],
	"servers_page.json":                decodeAs[Page[Server]],
	"package.json":                     decodeAs[envelope[Package]],
	"packages.json":                    decodeAs[envelope[FlexList[Package]]],
	"templates.json":                   decodeAs[envelope[FlexList[TemplateGroup]]],
	"user.json":                        decodeAs[envelope[User]],
	"user_create.json":                 decodeAs[envelope[User]],
	"power.json":                       decodeAs[envelope[struct{ QueueID FlexInt }]],
	"server_password_reset.json":       decodeAs[envelope[ServerPasswordReset]],
	"user_password_reset.json":         decodeAs[envelope[PasswordReset]],
	"vnc_toggle.json": decodeAs[envelope[struct {
		VNC     vncJSON `json:"vnc"`
		QueueID FlexInt `json:"queueId"`
	}]],
	"vnc.json":            decodeAs[envelope[struct{ VNC vncJSON }]],
	"traffic.json":        decodeAs[envelope[struct{ Monthly FlexList[TrafficMonth] }]],
	"credit_add.json":     decodeAs[envelope[struct{ ID FlexInt }]],
	"ssh_key_create.json": decodeAs[envelope[SSHKey]],
	"ssh_keys.json":       decodeAs[envelope[FlexList[SSHKey]]],
	"package_change.json": decodeAs[struct {
		Info FlexList[FlexString] `json:"info"`
	}],
	"login_tokens.json":           decodeAs[envelope[loginTokensJSON]],
	"queue.json":                  decodeAs[envelope[QueueItem]],
	"backups.json":                decodeAs[envelope[FlexList[Backup]]],
	"hypervisor_groups_page.json": decodeAs[Page[HypervisorGroup]],
	"group_resources_page.json":   decodeAs[Page[HypervisorResources]],
	"php_quirks.json": decodeAs[envelope[struct {
		RelationalID FlexString `json:"relationalId"`
		Value        FlexFloat  `json:"value"`
		Tokens       FlexFloat  `json:"tokens"`
	}]],
	"error_422.json":     decodeError,
	"error_404.json":     decodeError,
	"error_423.json":     decodeError,
	"error_laravel.json": decodeError,
}

func decodeAs[T any](b []byte) error {
	var v T
	return json.Unmarshal(b, &v)
}

func decodeError(b []byte) error {
	var e errorBody
	return json.Unmarshal(b, &e)
}

func TestFixturesDecode(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			dec, ok := decoders[name]
			if !ok {
				t.Fatalf("fixture %s has no decoder in fixtures_test.go", name)
			}
			if err := dec(MustFixture(t, name)); err != nil {
				t.Errorf("decode: %v", err)
			}
		})
	}
}

func TestDecodeServer(t *testing.T) {
	t.Run("RemoteStateObject", func(t *testing.T) {
		s := MustDecode[envelope[Server]](t, "server_remote_state.json").Data
		checks := []struct {
			name      string
			got, want any
		}{
			{"ID", s.ID, int64(69)},
			{"UUID", s.UUID, "b9fd9092-7200-4a24-96d4-76aedd664274"},
			{"Name", s.Name, "Elliptical Way"},
			{"Hostname", s.Hostname, ""},
			{"OwnerID", s.OwnerID, int64(1)},
			{"HypervisorID", s.HypervisorID, int64(6)},
			{"HypervisorGroupID", s.HypervisorGroupID, int64(2)},
			{"HypervisorGroup", s.HypervisorGroup, "Test"},
			{"CommissionStatus", s.CommissionStatus, 3},
			{"State", s.State, "complete"},
			{"Built", s.Built, time.Date(2025, 1, 15, 15, 0, 49, 0, time.UTC)},
			{"Resources", s.Resources, Resources{MemoryMB: 1024, StorageGB: 11, TrafficGB: 20000, CPUCores: 2}},
			{"PrimaryIPv4", s.PrimaryIPv4(), "192.168.4.32"},
			{"IPv4Resolvers", len(s.IPv4[0].Resolvers), 2},
			{"IPv6Subnet", s.IPv6[0].Subnet, "2001:db8:abcd:12:2::"},
			{"IPv6CIDR", s.IPv6[0].CIDR, 80},
			{"OSTemplateName", s.OSTemplateName, "Ubuntu 24.04"},
			{"OSTemplateID", s.OSTemplateID, int64(49)},
			{"VNCPort", s.VNC.Port, 5903},
			{"VNCEnabled", s.VNC.Enabled, false},
			{"TrafficStart", s.TrafficPeriod.Start, time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)},
			{"TrafficLimit", s.TrafficPeriod.LimitGB, int64(20000)},
			{"PowerState", s.PowerState(), "running"},
			{"Running", s.RemoteState.Running, true},
			{"CPU", s.RemoteState.CPU, 17.4},
			{"MemActual", s.RemoteState.Memory.ActualKB, int64(1048576)},
			{"MemTotal", s.RemoteState.Memory.TotalKB, int64(1003520)},
			{"MemAvailable", s.RemoteState.Memory.MemAvailableKB, int64(524288)},
			{"DiskCapacity", s.RemoteState.Disks["vda"].CapacityBytes, int64(11811160064)},
			{"DiskRead", s.RemoteState.Disks["vda"].ReadBytes, int64(123456789)},
			{"FSInfo", s.RemoteState.FSInfo[0], FSInfo{Name: "vda1", Mountpoint: "/", Type: "ext4", UsedBytes: 2100000000, TotalBytes: 10500000000}},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
			}
		}
	})
	t.Run("RemoteStateFalse", func(t *testing.T) {
		s := MustDecode[envelope[Server]](t, "server_remote_state_false.json").Data
		if s.RemoteState != nil {
			t.Errorf("RemoteState: got %+v, want nil", s.RemoteState)
		}
		if s.PowerState() != "unknown" || !s.Suspended || s.OSTemplateName != "" {
			t.Errorf("got power %q suspended %v os %q", s.PowerState(), s.Suspended, s.OSTemplateName)
		}
	})
	t.Run("CreateResponse", func(t *testing.T) {
		s := MustDecode[envelope[Server]](t, "server_create.json").Data
		if s.RemoteState != nil || s.State != "allocated" || s.CommissionStatus != 0 || !s.Built.IsZero() ||
			s.Name != "" || s.PrimaryIPv4() != "192.168.4.40" || len(s.IPv6) != 0 {
			t.Errorf("got %+v", s)
		}
		if s.Resources.TrafficGB != 0 || s.Resources.MemoryMB != 2048 {
			t.Errorf("Resources: got %+v", s.Resources)
		}
	})
	t.Run("BuildResponse", func(t *testing.T) {
		s := MustDecode[envelope[Server]](t, "server_build.json").Data
		if s.State != "queued" || s.CommissionStatus != 1 || s.DecryptedPassword != "Zq8pXv2LmN4r" {
			t.Errorf("got state %q status %d password %q", s.State, s.CommissionStatus, s.DecryptedPassword)
		}
		// As in the spec's example: tasks.active with an empty pending list
		// and no queue id for the build.
		if !s.TasksActive || len(s.PendingActions) != 0 {
			t.Errorf("tasks: got active %v pending %v", s.TasksActive, s.PendingActions)
		}
	})
	t.Run("SecondaryInterfaces", func(t *testing.T) {
		s := MustDecode[envelope[Server]](t, "server_secondary_interfaces.json").Data
		if len(s.IPv4) != 3 || s.IPv4[2].Address != "10.10.0.5" || s.IPv4[2].Type != "private" || !s.IPv4[2].Secondary ||
			s.IPv4[2].Public() || !s.IPv4[0].Public() || s.IPv4[0].Interface != "eth0" {
			t.Errorf("ipv4: got %+v", s.IPv4)
		}
		if len(s.IPv6) != 2 || s.IPv6[1].Public() || !s.IPv6[0].Public() {
			t.Errorf("ipv6: got %+v", s.IPv6)
		}
		if s.OSTemplateName != "" || s.OSTemplateID != 46 {
			t.Errorf("os: got %q / %d", s.OSTemplateName, s.OSTemplateID)
		}
	})
	t.Run("PrimaryIPv4IsPublic", func(t *testing.T) {
		s := Server{IPv4: []IPv4Address{{Address: "10.0.0.2", Type: "private"}, {Address: "203.0.113.9", Type: "public"}}}
		if got := s.PrimaryIPv4(); got != "203.0.113.9" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("UserServersItem", func(t *testing.T) {
		l := MustDecode[envelope[FlexList[Server]]](t, "user_servers.json").Data
		if len(l) != 1 {
			t.Fatalf("got %d servers, want 1", len(l))
		}
		s := l[0]
		if s.OwnerID != 3 || s.CommissionStatus != 2 || s.State != "failed" || s.VNC.Enabled || s.VNC.Port != 5901 {
			t.Errorf("got %+v", s)
		}
		if s.Resources != (Resources{MemoryMB: 2048, StorageGB: 10, TrafficGB: 200, CPUCores: 1}) {
			t.Errorf("Resources: got %+v", s.Resources)
		}
		if s.PrimaryIPv4() != "192.168.4.21" || s.IPv4[0].Interface != "eth0" {
			t.Errorf("IPv4: got %+v", s.IPv4)
		}
	})
	t.Run("ListItem", func(t *testing.T) {
		p := MustDecode[Page[Server]](t, "servers_page.json")
		if len(p.Data) != 2 || !p.HasNext() || p.Total != 3 {
			t.Fatalf("page: got %d items, hasNext %v, total %d", len(p.Data), p.HasNext(), p.Total)
		}
		if s := p.Data[0]; s.CommissionStatus != 3 || s.OwnerID != 1 || s.RemoteState != nil {
			t.Errorf("got %+v", s)
		}
	})
	t.Run("VNCEnabledInt", func(t *testing.T) {
		var s Server
		if err := json.Unmarshal([]byte(`{"id":1,"vnc":{"enabled":1,"port":"5900"}}`), &s); err != nil {
			t.Fatal(err)
		}
		if !s.VNC.Enabled || s.VNC.Port != 5900 {
			t.Errorf("got %+v", s.VNC)
		}
	})
	t.Run("RemoteStateOnlyOzvpsKeys", func(t *testing.T) {
		var s Server
		in := `{"id":1,"remoteState":{"running":"1","cpu":"3.5","memory":{"memtotal":"2048000","memfree":"1024000"},"disk":[]}}`
		if err := json.Unmarshal([]byte(in), &s); err != nil {
			t.Fatal(err)
		}
		rs := s.RemoteState
		if rs == nil || !rs.Running || rs.CPU != 3.5 || rs.Memory.TotalKB != 2048000 || rs.Disks != nil || s.PowerState() != "running" {
			t.Errorf("got %+v", rs)
		}
	})
	t.Run("RemoteStateNoRunningKey", func(t *testing.T) {
		var s Server
		if err := json.Unmarshal([]byte(`{"remoteState":{"state":"shutoff"}}`), &s); err != nil {
			t.Fatal(err)
		}
		if s.RemoteState.Running || s.PowerState() != "shutoff" {
			t.Errorf("got %+v", s.RemoteState)
		}
	})
}

func TestDecodeCatalogue(t *testing.T) {
	t.Run("Package", func(t *testing.T) {
		p := MustDecode[envelope[Package]](t, "package.json").Data
		if p.ID != 1 || p.MemoryMB != 1024 || p.PrimaryStorageGB != 10 || p.TrafficGB != 200 || !bool(p.Enabled) ||
			p.Description != "" || p.Created.IsZero() {
			t.Errorf("got %+v", p)
		}
	})
	t.Run("Templates", func(t *testing.T) {
		g := MustDecode[envelope[FlexList[TemplateGroup]]](t, "templates.json").Data
		tpl := g[0].Templates[1]
		if tpl.ID != 47 || tpl.Variant != "" || tpl.Arch != 2 || !bool(tpl.EOL) ||
			!tpl.EOLDate.Equal(time.Date(2026, 8, 31, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("got %+v", tpl)
		}
	})
	t.Run("GroupResources", func(t *testing.T) {
		p := MustDecode[Page[HypervisorResources]](t, "group_resources_page.json")
		r := p.Data[0].Resources
		if r.Memory.Free != 22251 || r.CPUCores.Percent != 31.25 || r.Network.Total.IPv4.Free != 120 || !bool(*r.LocalStorage.Enabled) {
			t.Errorf("got %+v", r)
		}
	})
	t.Run("SSHKeyCreatedAt", func(t *testing.T) {
		k := MustDecode[envelope[SSHKey]](t, "ssh_key_create.json").Data
		if k.ID != 2 || k.Created.IsZero() {
			t.Errorf("got %+v", k)
		}
	})
	t.Run("UserExtRelationInt", func(t *testing.T) {
		u := MustDecode[envelope[User]](t, "user.json").Data
		if u.ID != 3 || u.ExtRelationID != "1" || u.SelfService != 3 {
			t.Errorf("got %+v", u)
		}
	})
	t.Run("Queue", func(t *testing.T) {
		q := MustDecode[envelope[QueueItem]](t, "queue.json").Data
		if !q.Done() || !q.Succeeded() || q.Job != `App\Jobs\Server\KVM\Boot` {
			t.Errorf("got %+v", q)
		}
	})
}
