package virtfusion

import "encoding/json"

// refServerJSON is the wire shape: the union of every server variant.
type refServerJSON struct {
	ID               FlexInt      `json:"id"`
	UUID             FlexString   `json:"uuid"`
	Name             FlexString   `json:"name"`
	Hostname         FlexString   `json:"hostname"`
	OwnerID          FlexInt      `json:"ownerId"`
	Owner            refOwnerJSON `json:"owner"` // int (list) or object (detail)
	HypervisorID     FlexInt      `json:"hypervisorId"`
	CommissionStatus *FlexInt     `json:"commissionStatus"`
	Commissioned     *FlexInt     `json:"commissioned"`
	State            FlexString   `json:"state"`
	Suspended        FlexBool     `json:"suspended"`
	Protected        FlexBool     `json:"protected"`
	Rebuild          FlexBool     `json:"rebuild"`
	BuildFailed      FlexBool     `json:"buildFailed"`
	Built            FlexTime     `json:"built"`
	Created          FlexTime     `json:"created"`
	Updated          FlexTime     `json:"updated"`
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
		OSTemplateInstallID FlexInt                      `json:"osTemplateInstallId"`
		DecryptedPassword   FlexString                   `json:"decryptedPassword"`
		Resources           FlexObject[refResourcesJSON] `json:"resources"`
	} `json:"settings"`
	Resources FlexObject[refResourcesJSON] `json:"resources"` // /servers/user/{id}
	OS        FlexObject[struct {
		TemplateName FlexString `json:"templateName"`
	}] `json:"os"`
	BackupPlan FlexObject[struct {
		ID FlexInt `json:"id"`
	}] `json:"backupPlan"`
	VNC     FlexObject[refVNCJSON] `json:"vnc"`
	Network FlexObject[struct {
		Interfaces          FlexList[refInterfaceJSON] `json:"interfaces"`
		SecondaryInterfaces FlexList[refInterfaceJSON] `json:"secondaryInterfaces"`
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
	RemoteState FlexObject[refRemoteStateJSON] `json:"remoteState"`
}

type refResourcesJSON struct {
	Memory   FlexInt `json:"memory"`
	Storage  FlexInt `json:"storage"`
	Traffic  FlexInt `json:"traffic"`
	CPUCores FlexInt `json:"cpuCores"`
}

type refVNCJSON struct {
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

func (v refVNCJSON) vnc() VNC {
	return VNC{IP: string(v.IP), Hostname: string(v.Hostname), Port: int(v.Port),
		Password: string(v.Password), Enabled: bool(v.Enabled),
		WSSToken: string(v.WSS.V.Token), WSSURL: string(v.WSS.V.URL)}
}

// refOwnerJSON is "owner": 3 in lists and "owner": {"id": 3, …} in the detail.
type refOwnerJSON struct{ ID int64 }

func (o *refOwnerJSON) UnmarshalJSON(b []byte) error {
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

type refInterfaceJSON struct {
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

type refRemoteStateJSON struct {
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

// refDecodeServer is the encoding/json decoder that readFrom replaced: the
// reference the one-pass reader must agree with.
func refDecodeServer(s *Server, b []byte) error {
	var w refServerJSON
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
		refAddInterface(s, iface, false)
	}
	for _, iface := range w.Network.V.SecondaryInterfaces {
		refAddInterface(s, iface, true)
	}
	if w.RemoteState.Valid {
		s.RemoteState = w.RemoteState.V.remoteState()
	}
	return nil
}

// addInterface appends an interface's addresses, keeping its name and type.
func refAddInterface(s *Server, iface refInterfaceJSON, secondary bool) {
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

func (r *refRemoteStateJSON) remoteState() *RemoteState {
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

// refServer decodes with refDecodeServer (for the benchmarks' reference).
type refServer Server

func (s *refServer) UnmarshalJSON(b []byte) error { return refDecodeServer((*Server)(s), b) }
