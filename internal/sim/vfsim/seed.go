package vfsim

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"time"
)

// User seeds a panel user through AddUser.
type User struct {
	Name          string
	Email         string
	ExtRelationID string // a numeric id is an integer extRelationId; any other is a relStr (how the panel links)
}

// ServerSpec seeds a server through AddServer. The zero value (plus an
// owner) is a built, running Ubuntu 24.04 "VPS Nano" in London.
type ServerSpec struct {
	OwnerID    int
	PackageID  int // default 1
	GroupID    int // default 1 (London)
	TemplateID int // default 52 (Ubuntu 24.04)
	Name       string
	Hostname   string
	Unbuilt    bool // state "allocated", never built
	Stopped    bool
	Suspended  bool
	VNCEnabled bool
	Created    time.Time // default: now
}

// ServerSnapshot is a copy of a server's state for assertions.
type ServerSnapshot struct {
	ID, OwnerID, GroupID, HypervisorID, PackageID, TemplateID int
	UUID, Name, Hostname, State                               string
	CommissionStatus                                          int
	Running, Suspended, VNCEnabled                            bool
	VNCPassword                                               string
	IPv4                                                      []string
	IPv6Subnet                                                string
	DeleteAt                                                  *time.Time
	ActiveTaskID                                              int
	Memory, Storage, CPUCores, Traffic                        int
	BackupPlan                                                int
}

// AddUser adds a user and returns its VirtFusion id.
func (s *Sim) AddUser(u User) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := strconv.ParseUint(u.ExtRelationID, 10, 64)
	return s.addUserLocked(u.Name, u.Email, u.ExtRelationID, u.ExtRelationID != "" && err != nil, s.now()).ID
}

func (s *Sim) addUserLocked(name, email, ext string, extStr bool, now time.Time) *user {
	s.seq.user++
	u := &user{ID: s.seq.user, ExtRel: ext, ExtRelIsStr: extStr, Name: name, Email: email,
		Enabled: true, Password: randString(20), Created: now, Updated: now}
	s.users[u.ID] = u
	s.persist.MarkDirty()
	return u
}

// AddServer adds a server in the requested state at once (no tasks, no
// webhooks) and returns its id.
func (s *Sim) AddServer(spec ServerSpec) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sv, err := s.addServerLocked(spec, s.now())
	if err != nil {
		return 0, err
	}
	return sv.ID, nil
}

func (s *Sim) addServerLocked(spec ServerSpec, now time.Time) (*server, error) {
	spec.PackageID = cmp.Or(spec.PackageID, 1)
	spec.GroupID = cmp.Or(spec.GroupID, 1)
	spec.TemplateID = cmp.Or(spec.TemplateID, 52)
	if spec.Created.IsZero() {
		spec.Created = now
	}
	if s.users[spec.OwnerID] == nil {
		return nil, fmt.Errorf("vfsim: add server: no user %d", spec.OwnerID)
	}
	p := s.packages[spec.PackageID]
	if p == nil {
		return nil, fmt.Errorf("vfsim: add server: no package %d", spec.PackageID)
	}
	g := s.groups[spec.GroupID]
	if g == nil {
		return nil, fmt.Errorf("vfsim: add server: no group %d", spec.GroupID)
	}
	h := s.place(g.ID, p.Memory, p.CPUCores, p.Storage)
	if h == nil {
		return nil, fmt.Errorf("vfsim: add server: group %d out of stock", g.ID)
	}
	sv := s.newServerLocked(spec.OwnerID, p, g, h, 1, spec.Created)
	if sv == nil {
		return nil, fmt.Errorf("vfsim: add server: no free IPv4 in group %d", g.ID)
	}
	if !spec.Unbuilt {
		built := spec.Created.Add(2 * time.Minute)
		sv.Built = &built
		sv.State, sv.Commission = stateComplete, 3
		sv.TemplateID = spec.TemplateID
		sv.Name = cmp.Or(spec.Name, randomServerName())
		sv.Hostname = spec.Hostname
		sv.Running = !spec.Stopped
		s.assignIPv6Locked(sv, g)
		sv.BackupPlan = p.BackupPlan
		// Some history so traffic and disk pages are not empty.
		months := int(now.Sub(spec.Created).Hours() / 24 / 30)
		for i := 0; i < min(months, 3); i++ {
			sv.HistRx = append(sv.HistRx, int64(20+randInt(80))<<30)
			sv.HistTx = append(sv.HistTx, int64(1+randInt(10))<<30)
		}
		sv.RxBytes = float64(int64(1+randInt(30)) << 30)
		sv.TxBytes = float64(int64(randInt(3)+1) << 28)
		sv.RdBytes, sv.WrBytes = float64(int64(3+randInt(20))<<30), float64(int64(2+randInt(10))<<30)
	} else {
		sv.Name = spec.Name
	}
	sv.Suspended = spec.Suspended
	sv.VNCEnabled = spec.VNCEnabled
	return sv, nil
}

// newServerLocked allocates a server record with its first IPv4 addresses.
func (s *Sim) newServerLocked(owner int, p *pkg, g *group, h *hypervisor, ipv4 int, now time.Time) *server {
	var ips []ipv4Addr
	for range ipv4 {
		ip, ok := s.allocIPv4(g.V4Block)
		if !ok {
			for _, a := range ips {
				delete(s.blocks[a.BlockID].Used, a.Addr)
			}
			return nil
		}
		ips = append(ips, ip)
	}
	s.seq.server++
	sv := &server{
		ID: s.seq.server, OwnerID: owner, GroupID: g.ID, HypID: h.ID, PackageID: p.ID,
		UUID: newUUID(), State: stateAllocated, Created: now, Updated: now,
		Memory: p.Memory, Storage: p.Storage, Traffic: p.Traffic, CPUCores: p.CPUCores,
		SpeedIn: p.SpeedIn, SpeedOut: p.SpeedOut, IPv4: ips,
		VNCPassword: randString(8), VNCPort: 5900 + s.seq.server%100,
		EncryptedPassword: "eyJpdiI6" + randString(40),
		MAC:               randMAC(), NICTag: int64(4000000000 + randInt(999999999)),
		RxRate: float64(20_000 + randInt(200_000)), TxRate: float64(2_000 + randInt(30_000)),
		LastTick: now, CPUPhase: float64(randInt(628)) / 100,
	}
	s.servers[sv.ID] = sv
	s.persist.MarkDirty()
	return sv
}

func (s *Sim) assignIPv6Locked(sv *server, g *group) {
	if sv.IPv6Subnet != "" {
		return
	}
	s.seq.v6++
	sv.IPv6Subnet = fmt.Sprintf("%s:%x::", g.V6Prefix, s.seq.v6)
	sv.IPv6Gateway = g.V6Prefix + "::1"
}

// Server returns a snapshot of a server.
func (s *Sim) Server(id int) (ServerSnapshot, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tickLocked(s.now())
	sv := s.servers[id]
	if sv == nil {
		return ServerSnapshot{}, false
	}
	snap := ServerSnapshot{
		ID: sv.ID, OwnerID: sv.OwnerID, GroupID: sv.GroupID, HypervisorID: sv.HypID, PackageID: sv.PackageID,
		TemplateID: sv.TemplateID, UUID: sv.UUID, Name: sv.Name, Hostname: sv.Hostname, State: sv.State,
		CommissionStatus: sv.Commission, Running: sv.Running, Suspended: sv.Suspended, VNCEnabled: sv.VNCEnabled,
		VNCPassword: sv.VNCPassword, IPv6Subnet: sv.IPv6Subnet, ActiveTaskID: sv.ActiveTask,
		Memory: sv.Memory, Storage: sv.Storage, CPUCores: sv.CPUCores, Traffic: sv.Traffic, BackupPlan: sv.BackupPlan,
	}
	if sv.DeleteAt != nil {
		t := *sv.DeleteAt
		snap.DeleteAt = &t
	}
	for _, ip := range sv.IPv4 {
		snap.IPv4 = append(snap.IPv4, ip.Addr.String())
	}
	return snap, true
}

// seedDemo adds a few customers with servers in various states.
func (s *Sim) seedDemo(now time.Time) {
	alice := s.addUserLocked("Alice Example", "alice@example.com", "1001", false, now.AddDate(0, -8, 0))
	bob := s.addUserLocked("Bob Sample", "bob@example.net", "1002", false, now.AddDate(0, -3, 0))
	carol := s.addUserLocked("Carol Test", "carol@example.org", "cus_7Hq2", true, now.AddDate(0, 0, -10))
	specs := []ServerSpec{
		{OwnerID: alice.ID, PackageID: 3, GroupID: 1, TemplateID: 52, Name: "web-01", Hostname: "web-01.example.com", Created: now.AddDate(0, -7, 0)},
		{OwnerID: alice.ID, PackageID: 2, GroupID: 1, TemplateID: 46, Name: "db-01", Hostname: "db-01.example.com", Created: now.AddDate(0, -5, 0)},
		{OwnerID: alice.ID, PackageID: 1, GroupID: 2, TemplateID: 61, Name: "nyc-edge", Hostname: "edge.example.com", Stopped: true, Created: now.AddDate(0, -2, 0)},
		{OwnerID: bob.ID, PackageID: 1, GroupID: 3, TemplateID: 47, Name: "fra-vpn", Hostname: "vpn.example.net", Suspended: true, Created: now.AddDate(0, -2, -10)},
		{OwnerID: bob.ID, PackageID: 2, GroupID: 2, Unbuilt: true, Created: now.AddDate(0, 0, -1)},
		{OwnerID: carol.ID, PackageID: 4, GroupID: 1, TemplateID: 81, Name: "win-rdp", Hostname: "win-rdp", VNCEnabled: true, Created: now.AddDate(0, 0, -9)},
	}
	for _, sp := range specs {
		if _, err := s.addServerLocked(sp, now); err != nil {
			panic(err) // static seed data; a failure is a bug here
		}
	}
	s.seq.key++
	s.keys[s.seq.key] = &sshKey{ID: s.seq.key, UserID: alice.ID, Name: "alice@laptop", Enabled: true, Created: now.AddDate(0, -8, 0),
		PublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHm0c2ltdWxhdGVkIGtleSBmb3IgYWxpY2UgZGVtbyBvbmx5 alice@laptop"}
	s.servers[101].SSHKeys = []int{s.seq.key}
}

func sortedKeys[V any](m map[int]V) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// AddBenchLocation adds a location (hypervisor group) with one hypervisor
// and one IPv4 block big enough for servers more Nano servers, for
// benchmarks that need more servers than the demo locations hold (about
// 175). It is seeded like the built-in locations, so the API shows it and
// treats it exactly like them: stock, IPs and every shape stay as strict.
// Addresses come from 198.18.0.0/15, the range RFC 2544 sets aside for
// benchmarking; call it once per simulator. It returns the group id for
// ServerSpec.GroupID.
func (s *Sim) AddBenchLocation(servers int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	gid, hid, bid := len(s.groups)+1, len(s.hypervisors)+1, len(s.blocks)+1
	for s.groups[gid] != nil {
		gid++
	}
	for s.hypervisors[hid] != nil {
		hid++
	}
	for s.blocks[bid] != nil {
		bid++
	}
	bits := 32
	for (1<<(32-bits))-3 < servers && bits > 15 {
		bits--
	}
	prefix := netip.PrefixFrom(netip.AddrFrom4([4]byte{198, 18, 0, 0}), bits)
	s.blocks[bid] = &ipBlock{ID: bid, Name: fmt.Sprintf("Bench v4 %d", bid), Prefix: prefix, Gateway: prefix.Addr().Next(),
		Used: map[netip.Addr]bool{}, Created: now}
	s.groups[gid] = &group{ID: gid, Name: fmt.Sprintf("Bench %d", gid), Label: "Benchmark", Description: "Benchmark location",
		Enabled: true, V4Block: bid, V6Prefix: "2001:db8:99", Created: now}
	s.hypervisors[hid] = &hypervisor{ID: hid, GroupID: gid, Name: fmt.Sprintf("bench-hv%d", hid), IP: "192.0.2.99",
		MaxServers: servers, MaxCPU: servers, MaxMemory: servers * 1024, MaxStorage: servers * 20, Created: now}
	s.persist.MarkDirty()
	return gid
}
