package vfsim

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math/big"
	"net/netip"
	"time"
)

// user is a VirtFusion panel user.
type user struct {
	ID          int       `json:"id"`
	ExtRel      string    `json:"extRelationId,omitempty"`         // "" = none (panel-made user)
	ExtRelIsStr bool      `json:"extRelationIdIsString,omitempty"` // ExtRel is the relStr (looked up with ?relStr=true; extRelationId renders null)
	Name        string    `json:"name"`
	Email       string    `json:"email"`
	SelfService int       `json:"selfService"`
	Enabled     bool      `json:"enabled"`
	Password    string    `json:"password"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
}

// pkg is a VirtFusion package (plan).
type pkg struct {
	ID          int
	Name        string
	Description string
	Enabled     bool
	Memory      int // MB
	Storage     int // GB
	Traffic     int // GB, 0 = unmetered
	CPUCores    int
	SpeedIn     int // kB/s
	SpeedOut    int
	BackupPlan  int
	Created     time.Time
}

// group is a hypervisor group, which a panel calls a location.
type group struct {
	ID          int
	Name        string
	Label       string
	Description string
	Icon        string
	Default     bool
	Enabled     bool
	V4Block     int
	V6Prefix    string // /48 the servers' /64s come from
	Created     time.Time
}

// hypervisor is a compute node in a group. Base* model tenants outside the
// simulator so stock looks realistic.
type hypervisor struct {
	ID         int
	GroupID    int
	Name       string
	IP         string
	MaxServers int
	MaxCPU     int
	MaxMemory  int // MB
	MaxStorage int // GB
	BaseSrv    int
	BaseCPU    int
	BaseMem    int
	BaseDisk   int
	Created    time.Time
}

// osGroup is a template group (Debian, Ubuntu...).
type osGroup struct {
	ID          int
	Name        string
	Description string
	Icon        string
}

// template is an installable OS template.
type template struct {
	ID        int
	GroupID   int
	Name      string
	Version   string
	Variant   string
	Type      string // linux | windows
	EOL       bool
	EOLDate   string
	MinMemory int // MB; 0 = any
	MinDisk   int // GB
}

// ipBlock is an IPv4 pool.
type ipBlock struct {
	ID      int
	Name    string
	Prefix  netip.Prefix
	Gateway netip.Addr
	Used    map[netip.Addr]bool
	Created time.Time
}

// sshKey is a user's public key.
type sshKey struct {
	ID        int       `json:"id"`
	UserID    int       `json:"userId"`
	Name      string    `json:"name"`
	PublicKey string    `json:"publicKey"`
	Enabled   bool      `json:"enabled"`
	Created   time.Time `json:"created"`
}

// queueItem is a task on VirtFusion's queue (build, power, password reset).
// What finishing an item does follows from Action (see applyTaskLocked),
// so an item loaded from a state file resumes like one created here.
type queueItem struct {
	ID       int        `json:"id"`
	JobID    string     `json:"jobId"`
	Job      string     `json:"job"`
	Action   string     `json:"action"`
	ServerID int        `json:"serverId"`
	HypID    int        `json:"hypervisorId"`
	Started  time.Time  `json:"started"`
	Due      time.Time  `json:"due"`
	Finished *time.Time `json:"finished,omitempty"`
	Failed   bool       `json:"failed,omitempty"`
}

// credit is a self-service credit entry.
type credit struct {
	ID     int     `json:"id"`
	UserID int     `json:"userId"`
	Tokens float64 `json:"tokens"`
	Ref1   int     `json:"reference1"`
	Ref2   string  `json:"reference2"`
}

// ssoToken is a one-time login token pair.
type ssoToken struct {
	UserID   int       `json:"userId"`
	ServerID int       `json:"serverId"` // 0 = panel login
	Expires  time.Time `json:"expires"`
}

// vncToken authorises one websocket console for a server.
type vncToken struct {
	ServerID int       `json:"serverId"`
	Expires  time.Time `json:"expires"`
}

// ipv4Addr is one address on a server's primary interface.
type ipv4Addr struct {
	ID      int        `json:"id"`
	BlockID int        `json:"blockId"`
	Addr    netip.Addr `json:"addr"`
}

// server is a virtual server and everything the panel knows about it.
type server struct {
	ID                int        `json:"id"`
	OwnerID           int        `json:"ownerId"`
	GroupID           int        `json:"groupId"`
	HypID             int        `json:"hypervisorId"`
	PackageID         int        `json:"packageId"`
	UUID              string     `json:"uuid"`
	Name              string     `json:"name"`
	Hostname          string     `json:"hostname"`
	State             string     `json:"state"` // allocated | queued | complete | failed
	Commission        int        `json:"commissionStatus"`
	Built             *time.Time `json:"built,omitempty"`
	Created           time.Time  `json:"created"`
	Updated           time.Time  `json:"updated"`
	Suspended         bool       `json:"suspended"`
	Protected         bool       `json:"protected"`
	Memory            int        `json:"memory"`
	Storage           int        `json:"storage"`
	Traffic           int        `json:"traffic"`
	CPUCores          int        `json:"cpuCores"`
	SpeedIn           int        `json:"speedIn"`
	SpeedOut          int        `json:"speedOut"`
	IPv4              []ipv4Addr `json:"ipv4"`
	IPv6Subnet        string     `json:"ipv6Subnet,omitempty"` // "" until assigned
	IPv6Gateway       string     `json:"ipv6Gateway,omitempty"`
	WantIPv6          bool       `json:"wantIpv6"`
	TemplateID        int        `json:"templateId"`
	Running           bool       `json:"running"`
	VNCEnabled        bool       `json:"vncEnabled"`
	VNCPassword       string     `json:"vncPassword"`
	VNCPort           int        `json:"vncPort"`
	SSHKeys           []int      `json:"sshKeys,omitempty"`
	BackupPlan        int        `json:"backupPlan"`
	Firewall          *firewall  `json:"firewall,omitempty"` // the primary interface's; nil = never set
	DeleteAt          *time.Time `json:"deleteAt,omitempty"`
	ActiveTask        int        `json:"activeTask,omitempty"` // queue id of the running task, 0 = none
	LastTask          time.Time  `json:"lastTask"`
	EncryptedPassword string     `json:"encryptedPassword"`
	MAC               string     `json:"mac"`
	NICTag            int64      `json:"nicTag"`
	RxBytes           float64    `json:"rxBytes"` // current period
	TxBytes           float64    `json:"txBytes"`
	RdBytes           float64    `json:"rdBytes"`
	WrBytes           float64    `json:"wrBytes"`
	RxRate            float64    `json:"rxRate"` // bytes/s while running
	TxRate            float64    `json:"txRate"`
	HistRx            []int64    `json:"histRx,omitempty"` // previous periods, newest first
	HistTx            []int64    `json:"histTx,omitempty"`
	LastTick          time.Time  `json:"lastTick"` // counters are accounted up to here
	CPUPhase          float64    `json:"cpuPhase"` // offset of the fake CPU curve
}

const (
	stateAllocated = "allocated"
	stateQueued    = "queued"
	stateComplete  = "complete"
)

// backupPlans are the plans PUT /servers/{id}/backups/plan/{planId} accepts.
var backupPlans = map[int]string{1: "Daily (7 days)", 2: "Weekly (4 weeks)"}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

const pwAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

func randString(n int) string {
	b := make([]byte, n)
	for i := range b {
		v, _ := rand.Int(rand.Reader, big.NewInt(int64(len(pwAlphabet))))
		b[i] = pwAlphabet[v.Int64()]
	}
	return string(b)
}

func randInt(n int) int {
	v, _ := rand.Int(rand.Reader, big.NewInt(int64(n)))
	return int(v.Int64())
}

var nameWords1 = []string{"Elliptical", "Quiet", "Amber", "Silent", "Rapid", "Northern", "Crimson", "Hidden", "Gentle", "Frosty"}
var nameWords2 = []string{"Way", "River", "Meadow", "Harbor", "Summit", "Forest", "Canyon", "Garden", "Bridge", "Valley"}

// randomServerName mimics VirtFusion's two-word generated names.
func randomServerName() string {
	return nameWords1[randInt(len(nameWords1))] + " " + nameWords2[randInt(len(nameWords2))]
}

func randMAC() string {
	return fmt.Sprintf("00:%02X:%02X:%02X:%02X:%02X", randInt(256), randInt(256), randInt(256), randInt(256), randInt(256))
}

// seedInfra installs what every panel has before any customer exists:
// packages, locations, hypervisors, templates and IP pools.
func (s *Sim) seedInfra(now time.Time) {
	t0 := now.AddDate(-1, 0, 0).Truncate(time.Hour)
	s.packages = map[int]*pkg{}
	for _, p := range []pkg{
		{ID: 1, Name: "VPS Nano", Description: "1 vCPU, 1 GB RAM, 20 GB NVMe", Enabled: true, Memory: 1024, Storage: 20, Traffic: 1000, CPUCores: 1},
		{ID: 2, Name: "VPS Micro", Description: "1 vCPU, 2 GB RAM, 40 GB NVMe", Enabled: true, Memory: 2048, Storage: 40, Traffic: 2000, CPUCores: 1},
		{ID: 3, Name: "VPS Small", Description: "2 vCPU, 4 GB RAM, 80 GB NVMe", Enabled: true, Memory: 4096, Storage: 80, Traffic: 4000, CPUCores: 2, BackupPlan: 1},
		{ID: 4, Name: "VPS Medium", Description: "4 vCPU, 8 GB RAM, 160 GB NVMe", Enabled: true, Memory: 8192, Storage: 160, Traffic: 6000, CPUCores: 4, BackupPlan: 1},
		{ID: 5, Name: "VPS Large", Description: "8 vCPU, 16 GB RAM, 320 GB NVMe", Enabled: true, Memory: 16384, Storage: 320, Traffic: 10000, CPUCores: 8, BackupPlan: 1},
		{ID: 6, Name: "Legacy 512", Description: "Retired plan", Enabled: false, Memory: 512, Storage: 10, Traffic: 500, CPUCores: 1},
	} {
		p.Created = t0
		s.packages[p.ID] = &p
	}
	s.groups = map[int]*group{}
	for _, g := range []group{
		{ID: 1, Name: "London", Label: "London, UK", Description: "Telehouse North, London", Icon: "gb.png", Default: true, Enabled: true, V4Block: 1, V6Prefix: "2001:db8:10"},
		{ID: 2, Name: "New York", Label: "New York, US", Description: "NYC Metro, Secaucus NJ", Icon: "us.png", Enabled: true, V4Block: 2, V6Prefix: "2001:db8:20"},
		{ID: 3, Name: "Frankfurt", Label: "Frankfurt, DE", Description: "Interxion FRA, Frankfurt am Main", Icon: "de.png", Enabled: true, V4Block: 3, V6Prefix: "2001:db8:30"},
	} {
		g.Created = t0
		s.groups[g.ID] = &g
	}
	s.hypervisors = map[int]*hypervisor{}
	for _, h := range []hypervisor{
		{ID: 1, GroupID: 1, Name: "lon-hv1", IP: "192.0.2.11", MaxServers: 120, MaxCPU: 128, MaxMemory: 262144, MaxStorage: 7000, BaseSrv: 41, BaseCPU: 70, BaseMem: 98304, BaseDisk: 2600},
		{ID: 2, GroupID: 1, Name: "lon-hv2", IP: "192.0.2.12", MaxServers: 120, MaxCPU: 128, MaxMemory: 262144, MaxStorage: 7000, BaseSrv: 18, BaseCPU: 30, BaseMem: 40960, BaseDisk: 900},
		{ID: 3, GroupID: 2, Name: "nyc-hv1", IP: "192.0.2.21", MaxServers: 100, MaxCPU: 96, MaxMemory: 196608, MaxStorage: 5000, BaseSrv: 30, BaseCPU: 52, BaseMem: 65536, BaseDisk: 1800},
		// Nearly full: about 6 GB of memory left, so larger plans are out of stock.
		{ID: 4, GroupID: 3, Name: "fra-hv1", IP: "192.0.2.31", MaxServers: 60, MaxCPU: 64, MaxMemory: 65536, MaxStorage: 2000, BaseSrv: 52, BaseCPU: 58, BaseMem: 59392, BaseDisk: 1700},
	} {
		h.Created = t0
		s.hypervisors[h.ID] = &h
	}
	s.osGroups = []osGroup{
		{ID: 1, Name: "Debian", Description: "Debian GNU/Linux, the universal operating system.", Icon: "debian_logo.png"},
		{ID: 2, Name: "Ubuntu", Description: "Ubuntu Server by Canonical.", Icon: "ubuntu_logo.png"},
		{ID: 3, Name: "AlmaLinux", Description: "AlmaLinux OS, a community RHEL rebuild.", Icon: "almalinux_logo.png"},
		{ID: 4, Name: "Rocky Linux", Description: "Rocky Linux, enterprise Linux by the community.", Icon: "rocky_logo.png"},
		{ID: 5, Name: "Windows", Description: "Microsoft Windows Server (licence required).", Icon: "windows_logo.png"},
	}
	s.templates = []template{
		{ID: 45, GroupID: 1, Name: "Debian", Version: "11 (Bullseye)", Variant: "Minimal", Type: "linux", EOLDate: "2026-08-31 00:00:00"},
		{ID: 46, GroupID: 1, Name: "Debian", Version: "12 (Bookworm)", Variant: "Minimal", Type: "linux", EOLDate: "2028-06-30 00:00:00"},
		{ID: 47, GroupID: 1, Name: "Debian", Version: "13 (Trixie)", Variant: "Minimal", Type: "linux", EOLDate: "2030-06-30 00:00:00"},
		{ID: 50, GroupID: 2, Name: "Ubuntu", Version: "20.04 LTS", Variant: "Server", Type: "linux", EOL: true, EOLDate: "2025-05-31 00:00:00"},
		{ID: 51, GroupID: 2, Name: "Ubuntu", Version: "22.04 LTS", Variant: "Server", Type: "linux", EOLDate: "2027-04-30 00:00:00"},
		{ID: 52, GroupID: 2, Name: "Ubuntu", Version: "24.04 LTS", Variant: "Server", Type: "linux", EOLDate: "2029-04-30 00:00:00"},
		{ID: 60, GroupID: 3, Name: "AlmaLinux", Version: "8", Type: "linux", EOLDate: "2029-03-01 00:00:00"},
		{ID: 61, GroupID: 3, Name: "AlmaLinux", Version: "9", Type: "linux", EOLDate: "2032-05-31 00:00:00"},
		{ID: 70, GroupID: 4, Name: "Rocky Linux", Version: "8", Type: "linux", EOLDate: "2029-05-31 00:00:00"},
		{ID: 71, GroupID: 4, Name: "Rocky Linux", Version: "9", Type: "linux", EOLDate: "2032-05-31 00:00:00"},
		{ID: 80, GroupID: 5, Name: "Windows Server", Version: "2019", Variant: "Standard", Type: "windows", EOLDate: "2029-01-09 00:00:00", MinMemory: 2048, MinDisk: 40},
		{ID: 81, GroupID: 5, Name: "Windows Server", Version: "2022", Variant: "Standard", Type: "windows", EOLDate: "2031-10-14 00:00:00", MinMemory: 2048, MinDisk: 40},
	}
	s.blocks = map[int]*ipBlock{}
	for _, b := range []ipBlock{
		{ID: 1, Name: "LON Public v4", Prefix: netip.MustParsePrefix("203.0.113.0/25"), Gateway: netip.MustParseAddr("203.0.113.1")},
		{ID: 2, Name: "NYC Public v4", Prefix: netip.MustParsePrefix("198.51.100.0/24"), Gateway: netip.MustParseAddr("198.51.100.1")},
		{ID: 3, Name: "FRA Public v4", Prefix: netip.MustParsePrefix("203.0.113.128/25"), Gateway: netip.MustParseAddr("203.0.113.129")},
	} {
		b.Used = map[netip.Addr]bool{}
		b.Created = t0
		s.blocks[b.ID] = &b
	}
}

// allocIPv4 takes the next free address in a block (skipping network,
// gateway and broadcast).
func (s *Sim) allocIPv4(blockID int) (ipv4Addr, bool) {
	b := s.blocks[blockID]
	if b == nil {
		return ipv4Addr{}, false
	}
	last := lastAddr(b.Prefix)
	for a := b.Prefix.Addr().Next(); a.IsValid() && a.Less(last); a = a.Next() {
		if a == b.Gateway || b.Used[a] {
			continue
		}
		b.Used[a] = true
		s.seq.ip++
		return ipv4Addr{ID: s.seq.ip, BlockID: blockID, Addr: a}, true
	}
	return ipv4Addr{}, false
}

func (s *Sim) freeIPv4(b *ipBlock) int {
	n := 0
	last := lastAddr(b.Prefix)
	for a := b.Prefix.Addr().Next(); a.IsValid() && a.Less(last); a = a.Next() {
		if a != b.Gateway && !b.Used[a] {
			n++
		}
	}
	return n
}

func lastAddr(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr().As4()
	host := uint32(1)<<(32-p.Bits()) - 1
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	v |= host
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

func netmask(p netip.Prefix) string {
	m := ^uint32(0) << (32 - p.Bits())
	return fmt.Sprintf("%d.%d.%d.%d", m>>24, m>>16&0xff, m>>8&0xff, m&0xff)
}

// usage is what a hypervisor has allocated, including tenants outside the sim.
type usage struct{ Servers, CPU, Memory, Disk int }

func (s *Sim) hypUsage(h *hypervisor) usage {
	u := usage{h.BaseSrv, h.BaseCPU, h.BaseMem, h.BaseDisk}
	for _, sv := range s.servers {
		if sv.HypID == h.ID {
			u.Servers++
			u.CPU += sv.CPUCores
			u.Memory += sv.Memory
			u.Disk += sv.Storage
		}
	}
	return u
}

// place picks the hypervisor in a group with the most free memory that fits
// the request; nil means out of stock.
func (s *Sim) place(groupID, mem, cpu, disk int) *hypervisor {
	var best *hypervisor
	bestFree := -1
	for id := 1; id <= len(s.hypervisors); id++ {
		h := s.hypervisors[id]
		if h == nil || h.GroupID != groupID {
			continue
		}
		u := s.hypUsage(h)
		free := h.MaxMemory - u.Memory
		if free < mem || h.MaxCPU-u.CPU < cpu || h.MaxStorage-u.Disk < disk || h.MaxServers-u.Servers < 1 {
			continue
		}
		if free > bestFree {
			best, bestFree = h, free
		}
	}
	return best
}

// templateAllowed reports whether a template fits a resource spec.
func templateAllowed(t template, memory, storage int) bool {
	return memory >= t.MinMemory && storage >= t.MinDisk
}

func (s *Sim) templateByID(id int) (template, bool) {
	for _, t := range s.templates {
		if t.ID == id {
			return t, true
		}
	}
	return template{}, false
}

func (s *Sim) osName(id int) string {
	t, ok := s.templateByID(id)
	if !ok {
		return ""
	}
	return t.Name + " " + t.Version
}
