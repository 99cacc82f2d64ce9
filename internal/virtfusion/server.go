package virtfusion

import (
	"strings"
	"time"
)

// Server is a VirtFusion server as vfpanel uses it. It decodes every shape
// the API returns for a server: the detail (GET /servers/{id}), the create
// and build responses, the /servers list item (commissioned, owner as an
// int) and the flatter /servers/user/{id} item (resources at the top level,
// vnc.enabled as 0/1).
type Server struct {
	ID                int64
	UUID              string
	Name              string
	Hostname          string
	OwnerID           int64 // VirtFusion user id
	HypervisorID      int64
	HypervisorGroupID int64  // the "location"; detail only
	HypervisorGroup   string // location name; detail only
	CommissionStatus  int    // Commission* constants
	State             string // provisioning state: allocated, queued, complete, failed (not power)
	Suspended         bool
	Protected         bool
	Rebuild           bool
	BuildFailed       bool
	Built             time.Time // zero if never built
	Created           time.Time // zero when not sent (the /servers/user/{id} items carry none)
	Updated           time.Time
	Resources         Resources
	IPv4              []IPv4Address // primary interface first, then secondaryInterfaces
	IPv6              []IPv6Subnet
	OSTemplateName    string // os.templateName, else resolved from the templates by GetServer; may be empty
	OSTemplateType    string // linux, windows, …: from the templates; may be empty
	OSTemplateID      int64  // settings.osTemplateInstallId
	VNC               VNC
	TrafficPeriod     TrafficPeriod
	BackupPlanID      int64
	// TasksActive says a queued action (e.g. a build) is running
	// (tasks.active). Real build responses carry it with an empty pending
	// list and no queue id: build progress is followed through the state.
	TasksActive bool
	// PendingActions are deferred changes waiting for a power action
	// (tasks.actions.pending[].action, e.g. "Create HDD (sdb)"), not queue items.
	PendingActions    []string
	DecryptedPassword string // root password; only in the build response
	RemoteState       *RemoteState
}

// PowerState returns the live power state ("running", "stopped", …) from
// RemoteState, or "unknown" when it was not requested.
func (s *Server) PowerState() string {
	switch {
	case s.RemoteState == nil:
		return "unknown"
	case s.RemoteState.State != "":
		return s.RemoteState.State
	case s.RemoteState.Running:
		return "running"
	default:
		return "stopped"
	}
}

// Documented commissionStatus (detail) / commissioned (list) values.
const (
	CommissionNotBuilt = 0 // allocated, never built
	CommissionBuilding = 1 // build queued or running
	CommissionFailed   = 2 // the build failed: the spec's example pairs it with state "failed"
	CommissionComplete = 3
)

// Resources are a server's allocation.
type Resources struct {
	MemoryMB  int64
	StorageGB int64
	TrafficGB int64 // 0 = unmetered
	CPUCores  int64
}

// IPv4Address is one IPv4 address on a server interface.
type IPv4Address struct {
	Address   string
	Gateway   string
	Netmask   string
	Resolvers []string
	RDNS      string
	Interface string // interface name, e.g. eth0
	Type      string // interface type: "public", "private", …; "" when not sent
	Secondary bool   // on one of network.secondaryInterfaces
}

// Public reports whether the address is on a public interface (or on one
// whose type VirtFusion did not send).
func (a IPv4Address) Public() bool { return a.Type == "" || strings.EqualFold(a.Type, "public") }

// IPv6Subnet is one IPv6 subnet on a server interface.
type IPv6Subnet struct {
	Subnet    string
	CIDR      int
	Gateway   string
	Addresses []string
	Interface string
	Type      string // interface type, as for IPv4Address
	Secondary bool
}

// Public reports whether the subnet is on a public interface.
func (a IPv6Subnet) Public() bool { return a.Type == "" || strings.EqualFold(a.Type, "public") }

// VNC is a server's VNC console details.
type VNC struct {
	IP       string
	Hostname string
	Port     int
	Password string
	Enabled  bool   // unreliable on VirtFusion v7
	WSSToken string // GET /servers/{id}/vnc only
	WSSURL   string // relative to the panel root
}

// TrafficPeriod is the current traffic accounting window (no usage counter:
// see Client.Traffic).
type TrafficPeriod struct {
	Start     time.Time
	End       time.Time
	LimitGB   int64 // 0 = unmetered
	CountMode int   // countMethod
}

// RemoteState is live hypervisor state (GET /servers/{id}?remoteState=true).
// Memory is in KB; VirtFusion builds send different key sets, all kept.
type RemoteState struct {
	State   string  // running, stopped, shutoff, paused, …
	Running bool    // true when State is running or running is set
	CPU     float64 // percent
	Memory  RemoteMemory
	Disks   map[string]RemoteDisk // by device, e.g. "vda"
	FSInfo  []FSInfo              // from the qemu guest agent
}

// RemoteMemory is guest memory in KB. Actual/Unused/Available/RSS come from
// libvirt balloon stats; Total/Free/MemAvailable from /proc/meminfo keys.
type RemoteMemory struct {
	ActualKB       int64
	UnusedKB       int64
	AvailableKB    int64
	RSSKB          int64
	TotalKB        int64
	FreeKB         int64
	MemAvailableKB int64
}

// RemoteDisk is one virtual disk's counters, in bytes.
type RemoteDisk struct {
	ReadBytes     int64
	WriteBytes    int64
	CapacityBytes int64
	PhysicalBytes int64
	AllocBytes    int64
}

// FSInfo is one guest filesystem.
type FSInfo struct {
	Name       string
	Mountpoint string
	Type       string
	UsedBytes  int64
	TotalBytes int64
}

// PrimaryIPv4 returns the first public IPv4 address (a private network
// on a secondary interface never is), else the first address, else "".
func (s *Server) PrimaryIPv4() string {
	for _, a := range s.IPv4 {
		if a.Public() && a.Address != "" {
			return a.Address
		}
	}
	if len(s.IPv4) == 0 {
		return ""
	}
	return s.IPv4[0].Address
}
