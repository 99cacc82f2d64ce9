package virtfusion

import (
	"encoding/json"
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

// serverJSON is the wire shape: the union of every server variant.
type serverJSON struct {
	ID               FlexInt    `json:"id"`
	UUID             FlexString `json:"uuid"`
	Name             FlexString `json:"name"`
	Hostname         FlexString `json:"hostname"`
	OwnerID          FlexInt    `json:"ownerId"`
	Owner            ownerJSON  `json:"owner"` // int (list) or object (detail)
	HypervisorID     FlexInt    `json:"hypervisorId"`
	CommissionStatus *FlexInt   `json:"commissionStatus"`
	Commissioned     *FlexInt   `json:"commissioned"`
	State            FlexString `json:"state"`
	Suspended        FlexBool   `json:"suspended"`
	Protected        FlexBool   `json:"protected"`
	Rebuild          FlexBool   `json:"rebuild"`
	BuildFailed      FlexBool   `json:"buildFailed"`
	Built            FlexTime   `json:"built"`
	Created          FlexTime   `json:"created"`
	Updated          FlexTime   `json:"updated"`
	Traffic          struct {
		Public struct {
			CountMethod   FlexInt `json:"countMethod"`
			CurrentPeriod struct {
				Start FlexTime `json:"start"`
				End   FlexTime `json:"end"`
				Limit FlexInt  `json:"limit"`
			} `json:"currentPeriod"`
		} `json:"public"`
	} `json:"traffic"`
	Settings struct {
		OSTemplateInstallID FlexInt                   `json:"osTemplateInstallId"`
		DecryptedPassword   FlexString                `json:"decryptedPassword"`
		Resources           FlexObject[resourcesJSON] `json:"resources"`
	} `json:"settings"`
	Resources FlexObject[resourcesJSON] `json:"resources"` // /servers/user/{id}
	OS        FlexObject[struct {
		TemplateName FlexString `json:"templateName"`
	}] `json:"os"`
	BackupPlan FlexObject[struct {
		ID FlexInt `json:"id"`
	}] `json:"backupPlan"`
	VNC     FlexObject[vncJSON] `json:"vnc"`
	Network FlexObject[struct {
		Interfaces          FlexList[interfaceJSON] `json:"interfaces"`
		SecondaryInterfaces FlexList[interfaceJSON] `json:"secondaryInterfaces"`
	}] `json:"network"`
	Hypervisor FlexObject[struct {
		GroupID FlexInt `json:"groupId"`
		Group   FlexObject[struct {
			Name FlexString `json:"name"`
		}] `json:"group"`
	}] `json:"hypervisor"`
	Tasks FlexObject[struct {
		Active  FlexBool `json:"active"`
		Actions FlexObject[struct {
			Pending FlexList[struct {
				Action FlexString `json:"action"`
			}] `json:"pending"`
		}] `json:"actions"`
	}] `json:"tasks"`
	RemoteState FlexObject[remoteStateJSON] `json:"remoteState"`
}

type resourcesJSON struct {
	Memory   FlexInt `json:"memory"`
	Storage  FlexInt `json:"storage"`
	Traffic  FlexInt `json:"traffic"`
	CPUCores FlexInt `json:"cpuCores"`
}

type vncJSON struct {
	IP       FlexString `json:"ip"`
	Hostname FlexString `json:"hostname"`
	Port     FlexInt    `json:"port"`
	Password FlexString `json:"password"`
	Enabled  FlexBool   `json:"enabled"`
	WSS      FlexObject[struct {
		Token FlexString `json:"token"`
		URL   FlexString `json:"url"`
	}] `json:"wss"`
}

func (v vncJSON) vnc() VNC {
	return VNC{IP: string(v.IP), Hostname: string(v.Hostname), Port: int(v.Port),
		Password: string(v.Password), Enabled: bool(v.Enabled),
		WSSToken: string(v.WSS.V.Token), WSSURL: string(v.WSS.V.URL)}
}

// ownerJSON is "owner": 3 in lists and "owner": {"id": 3, …} in the detail.
type ownerJSON struct{ ID int64 }

func (o *ownerJSON) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		var v struct {
			ID FlexInt `json:"id"`
		}
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		o.ID = int64(v.ID)
		return nil
	}
	var id FlexInt
	if err := id.UnmarshalJSON(b); err != nil {
		return err
	}
	o.ID = int64(id)
	return nil
}

type interfaceJSON struct {
	Name FlexString `json:"name"`
	Type FlexString `json:"type"`
	IPv4 FlexList[struct {
		Address   FlexString `json:"address"`
		Gateway   FlexString `json:"gateway"`
		Netmask   FlexString `json:"netmask"`
		Resolver1 FlexString `json:"resolver1"`
		Resolver2 FlexString `json:"resolver2"`
		RDNS      FlexString `json:"rdns"`
	}] `json:"ipv4"`
	IPv6 FlexList[struct {
		Subnet    FlexString           `json:"subnet"`
		CIDR      FlexInt              `json:"cidr"`
		Gateway   FlexString           `json:"gateway"`
		Addresses FlexList[FlexString] `json:"addresses"`
	}] `json:"ipv6"`
}

type remoteStateJSON struct {
	State   FlexString `json:"state"`
	Running *FlexBool  `json:"running"`
	CPU     FlexFloat  `json:"cpu"`
	Memory  FlexObject[struct {
		Actual       FlexInt `json:"actual"`
		Unused       FlexInt `json:"unused"`
		Available    FlexInt `json:"available"`
		RSS          FlexInt `json:"rss"`
		MemTotal     FlexInt `json:"memtotal"`
		MemFree      FlexInt `json:"memfree"`
		MemAvailable FlexInt `json:"memavailable"`
	}] `json:"memory"`
	Disk FlexMap[struct {
		RdBytes    FlexInt `json:"rd.bytes"`
		WrBytes    FlexInt `json:"wr.bytes"`
		Capacity   FlexInt `json:"capacity"`
		Physical   FlexInt `json:"physical"`
		Allocation FlexInt `json:"allocation"`
	}] `json:"disk"`
	Agent FlexObject[struct {
		FSInfo FlexList[struct {
			Name       FlexString `json:"name"`
			Mountpoint FlexString `json:"mountpoint"`
			Type       FlexString `json:"type"`
			UsedBytes  FlexInt    `json:"used-bytes"`
			TotalBytes FlexInt    `json:"total-bytes"`
		}] `json:"fsinfo"`
	}] `json:"agent"`
}

// UnmarshalJSON decodes any server variant.
func (s *Server) UnmarshalJSON(b []byte) error {
	var w serverJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*s = Server{
		ID:                int64(w.ID),
		UUID:              string(w.UUID),
		Name:              string(w.Name),
		Hostname:          string(w.Hostname),
		OwnerID:           int64(w.OwnerID),
		HypervisorID:      int64(w.HypervisorID),
		HypervisorGroupID: int64(w.Hypervisor.V.GroupID),
		HypervisorGroup:   string(w.Hypervisor.V.Group.V.Name),
		State:             string(w.State),
		Suspended:         bool(w.Suspended),
		Protected:         bool(w.Protected),
		Rebuild:           bool(w.Rebuild),
		BuildFailed:       bool(w.BuildFailed),
		Built:             w.Built.Time,
		Created:           w.Created.Time,
		Updated:           w.Updated.Time,
		OSTemplateName:    string(w.OS.V.TemplateName),
		OSTemplateID:      int64(w.Settings.OSTemplateInstallID),
		VNC:               w.VNC.V.vnc(),
		DecryptedPassword: string(w.Settings.DecryptedPassword),
		BackupPlanID:      int64(w.BackupPlan.V.ID),
		TasksActive:       bool(w.Tasks.V.Active),
		TrafficPeriod: TrafficPeriod{
			Start:     w.Traffic.Public.CurrentPeriod.Start.Time,
			End:       w.Traffic.Public.CurrentPeriod.End.Time,
			LimitGB:   int64(w.Traffic.Public.CurrentPeriod.Limit),
			CountMode: int(w.Traffic.Public.CountMethod),
		},
	}
	if s.OwnerID == 0 {
		s.OwnerID = w.Owner.ID
	}
	switch {
	case w.CommissionStatus != nil:
		s.CommissionStatus = int(*w.CommissionStatus)
	case w.Commissioned != nil:
		s.CommissionStatus = int(*w.Commissioned)
	}
	res := w.Settings.Resources
	if !res.Valid {
		res = w.Resources
	}
	s.Resources = Resources{MemoryMB: int64(res.V.Memory), StorageGB: int64(res.V.Storage),
		TrafficGB: int64(res.V.Traffic), CPUCores: int64(res.V.CPUCores)}
	if s.TrafficPeriod.LimitGB == 0 {
		s.TrafficPeriod.LimitGB = s.Resources.TrafficGB
	}
	for _, p := range w.Tasks.V.Actions.V.Pending {
		s.PendingActions = append(s.PendingActions, string(p.Action))
	}
	for _, iface := range w.Network.V.Interfaces {
		s.addInterface(iface, false)
	}
	for _, iface := range w.Network.V.SecondaryInterfaces {
		s.addInterface(iface, true)
	}
	if w.RemoteState.Valid {
		s.RemoteState = w.RemoteState.V.remoteState()
	}
	return nil
}

// addInterface appends an interface's addresses, keeping its name and type.
func (s *Server) addInterface(iface interfaceJSON, secondary bool) {
	for _, a := range iface.IPv4 {
		ip := IPv4Address{Address: string(a.Address), Gateway: string(a.Gateway), Netmask: string(a.Netmask),
			RDNS: string(a.RDNS), Interface: string(iface.Name), Type: string(iface.Type), Secondary: secondary}
		for _, r := range []FlexString{a.Resolver1, a.Resolver2} {
			if r != "" {
				ip.Resolvers = append(ip.Resolvers, string(r))
			}
		}
		s.IPv4 = append(s.IPv4, ip)
	}
	for _, a := range iface.IPv6 {
		sn := IPv6Subnet{Subnet: string(a.Subnet), CIDR: int(a.CIDR), Gateway: string(a.Gateway),
			Interface: string(iface.Name), Type: string(iface.Type), Secondary: secondary}
		for _, addr := range a.Addresses {
			sn.Addresses = append(sn.Addresses, string(addr))
		}
		s.IPv6 = append(s.IPv6, sn)
	}
}

func (r *remoteStateJSON) remoteState() *RemoteState {
	rs := &RemoteState{State: string(r.State), CPU: float64(r.CPU)}
	if r.Running != nil {
		rs.Running = bool(*r.Running)
	} else {
		rs.Running = rs.State == "running"
	}
	m := r.Memory.V
	rs.Memory = RemoteMemory{ActualKB: int64(m.Actual), UnusedKB: int64(m.Unused),
		AvailableKB: int64(m.Available), RSSKB: int64(m.RSS), TotalKB: int64(m.MemTotal),
		FreeKB: int64(m.MemFree), MemAvailableKB: int64(m.MemAvailable)}
	if len(r.Disk) > 0 {
		rs.Disks = make(map[string]RemoteDisk, len(r.Disk))
		for k, d := range r.Disk {
			rs.Disks[k] = RemoteDisk{ReadBytes: int64(d.RdBytes), WriteBytes: int64(d.WrBytes),
				CapacityBytes: int64(d.Capacity), PhysicalBytes: int64(d.Physical), AllocBytes: int64(d.Allocation)}
		}
	}
	for _, f := range r.Agent.V.FSInfo {
		rs.FSInfo = append(rs.FSInfo, FSInfo{Name: string(f.Name), Mountpoint: string(f.Mountpoint),
			Type: string(f.Type), UsedBytes: int64(f.UsedBytes), TotalBytes: int64(f.TotalBytes)})
	}
	return rs
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
