package vfsim

import (
	"math"
	"strconv"
	"time"
)

// extRelJSON is the user's integer extRelationId, or null: every user
// object of the spec types it as an integer, so a relStr user shows null.
func (u *user) extRelJSON() any {
	if u.ExtRel == "" || u.ExtRelIsStr {
		return nil
	}
	if n, err := strconv.ParseUint(u.ExtRel, 10, 64); err == nil {
		return n
	}
	return nil
}

// renderUser is §4.5.
func renderUser(u *user) M {
	return M{
		"id": u.ID, "admin": false, "extRelationId": u.extRelJSON(), "selfService": u.SelfService,
		"selfServiceHourlyGroupProfiles": []int{}, "selfServiceResourceGroupProfiles": []int{},
		"selfServiceHourlyResourcePack": nil,
		"name":                          u.Name, "email": u.Email, "timezone": "Europe/London",
		"suspended": !u.Enabled, "twoFactorAuth": false,
		"created": tsModel(u.Created), "updated": tsModel(u.Updated),
	}
}

// renderPackage is §4.3.
func renderPackage(p *pkg) M {
	return M{
		"id": p.ID, "name": p.Name, "description": nullStr(p.Description), "enabled": p.Enabled,
		"memory": p.Memory, "primaryStorage": p.Storage, "traffic": p.Traffic, "cpuCores": p.CPUCores,
		"primaryNetworkSpeedIn": p.SpeedIn, "primaryNetworkSpeedOut": p.SpeedOut,
		"primaryDiskType": "inherit", "backupPlanId": p.BackupPlan,
		"primaryStorageReadBytesSec": nil, "primaryStorageWriteBytesSec": nil,
		"primaryStorageReadIopsSec": nil, "primaryStorageWriteIopsSec": nil,
		"primaryStorageProfile": 1, "primaryNetworkProfile": 0,
		"created": tsModel(p.Created),
	}
}

// templateGroups is §4.4, limited to templates that fit memory/storage.
func (s *Sim) templateGroups(memory, storage int) []any {
	out := []any{}
	for _, g := range s.osGroups {
		var ts []any
		for _, t := range s.templates {
			if t.GroupID != g.ID || !templateAllowed(t, memory, storage) {
				continue
			}
			eolWarn := !t.EOL && t.EOLDate != "" && t.EOLDate < tsPlain(s.now().AddDate(0, 6, 0))
			ts = append(ts, M{
				"id": t.ID, "name": t.Name, "version": t.Version, "variant": nullStr(t.Variant), "arch": 1,
				"description": t.Name + " " + t.Version + " " + map[bool]string{true: "standard installation", false: "minimal installation"}[t.Type == "windows"],
				"icon":        g.Icon, "eol": t.EOL, "eol_date": t.EOLDate, "eol_warning": eolWarn,
				"deploy_type": 1, "vnc": t.Type == "windows", "type": t.Type,
			})
		}
		if len(ts) == 0 {
			continue
		}
		out = append(out, M{"id": g.ID, "name": g.Name, "description": g.Description, "icon": g.Icon, "templates": ts})
	}
	return out
}

// serverRender chooses a variant of the full server object.
type serverRender struct {
	remoteState       bool
	create            bool   // POST /servers: no remoteState key, PHP [] config
	decryptedPassword string // build response only
}

// renderServer is the full server object of §4.1.
func (s *Sim) renderServer(sv *server, o serverRender) M {
	now := s.now()
	h := s.hypervisors[sv.HypID]
	g := s.groups[sv.GroupID]
	hu := s.hypUsage(h)
	owner := s.users[sv.OwnerID]

	periodStart, periodEnd := s.trafficPeriod(sv, now)
	settings := M{
		"osTemplateInstall": sv.TemplateID != 0, "osTemplateInstallId": nullInt(sv.TemplateID),
		"encryptedPassword": sv.EncryptedPassword,
		"backupPlan":        nullInt(sv.BackupPlan),
		"uefi":              false, "uefiType": 0, "cloudInit": true, "cloudInitType": 1,
		"userConfig": phpEmpty, "bootOrder": []string{"hd", "cdrom"}, "machineType": "inherit",
		"extended":  M{"cpuFlags": M{"topoext": "1", "svm": "1", "vmx": "1"}},
		"resources": M{"memory": sv.Memory, "storage": sv.Storage, "traffic": sv.Traffic, "cpuCores": sv.CPUCores},
	}
	if o.create || sv.TemplateID == 0 {
		settings["config"] = phpEmpty
	} else {
		settings["config"] = M{"cloud.init": M{"on.all": M{"user.data": M{"runcmd": []string{"systemctl enable --now qemu-guest-agent"}}}, "on.network": phpEmpty}}
	}
	if o.decryptedPassword != "" {
		settings["decryptedPassword"] = o.decryptedPassword
	}

	ipv4 := []any{}
	for i, ip := range sv.IPv4 {
		b := s.blocks[ip.BlockID]
		ipv4 = append(ipv4, M{"id": ip.ID, "order": i + 1, "enabled": true, "blockId": ip.BlockID, "address": ip.Addr.String(),
			"gateway": b.Gateway.String(), "netmask": netmask(b.Prefix), "resolver1": "1.1.1.1", "resolver2": "8.8.8.8",
			"rdns": nil, "mac": nil})
	}
	ipv6 := []any{}
	if sv.IPv6Subnet != "" {
		ipv6 = append(ipv6, M{"id": 500 + sv.ID, "block": M{"id": 10 + sv.GroupID, "name": g.Name + " v6"}, "order": 1, "enabled": true,
			"addresses": []string{sv.IPv6Subnet + "1"}, "addressesDetailed": []any{},
			"subnet": sv.IPv6Subnet, "cidr": 64, "exhausted": false, "gateway": sv.IPv6Gateway,
			"resolver1": "2606:4700:4700::1111", "resolver2": "2001:4860:4860::8888", "routeNet": false})
	}
	var driver any = 1
	if o.create {
		driver = nil
	}
	iface := M{
		"id": sv.ID, "order": 1, "enabled": true, "tag": sv.NICTag, "name": "eth0", "type": "public", "driver": driver,
		"mac": sv.MAC, "inTrafficCount": true, "outTrafficCount": false,
		"inAverage": sv.SpeedIn, "inPeak": 0, "inBurst": 0, "outAverage": sv.SpeedOut, "outPeak": 0, "outBurst": 0,
		"ipFilter": false, "ipFilterType": "4", "vlans": []any{}, "portIsolated": false,
		"ipv4_resolver_1": 1, "ipv4_resolver_2": 2, "ipv6_resolver_1": 1, "ipv6_resolver_2": 2,
		"networkProfile": 0, "dhcpV4": 0, "dhcpV6": 0, "firewallEnabled": sv.Firewall != nil && sv.Firewall.Enabled, "hypervisorNetwork": h.ID,
		"isNat": false, "nat": false, "firewall": []any{},
		"hypervisorConnectivity": M{"id": h.ID, "type": "simpleBridge", "bridge": "br0", "mtu": nil, "primary": true, "default": true},
		"ipWhitelist":            []any{}, "actions": []any{}, "ipv4": ipv4, "ipv6": ipv6,
	}

	keys := []any{}
	for _, id := range sv.SSHKeys {
		if k := s.keys[id]; k != nil {
			keys = append(keys, M{"id": k.ID, "ownerId": k.UserID, "type": "OpenSSH", "name": k.Name, "public": k.PublicKey, "enabled": k.Enabled, "created": tsServer(k.Created)})
		}
	}
	// Queue items (builds, power actions) show only as tasks.active: the
	// spec's build response has an empty pending list, which holds deferred
	// changes waiting for a power action ("Create HDD (sdb)"), not jobs.
	pending := []any{}
	lastOn := any(nil)
	if !sv.LastTask.IsZero() {
		lastOn = tsPlain(sv.LastTask)
	}
	var ownerObj any
	if owner != nil {
		ownerObj = M{"id": owner.ID, "admin": false, "extRelationId": owner.extRelJSON(), "name": owner.Name, "email": owner.Email,
			"timezone": "Europe/London", "suspended": !owner.Enabled, "twoFactorAuth": false,
			"created": tsServer(owner.Created), "updated": tsServer(owner.Updated)}
	}
	var backupName any
	if n, ok := backupPlans[sv.BackupPlan]; ok {
		backupName = n
	}
	var hostname any = nullStr(sv.Hostname)
	out := M{
		"id": sv.ID, "ownerId": sv.OwnerID, "hypervisorId": sv.HypID, "arch": 1, "name": sv.Name,
		"selfService": 0, "selfServiceSettings": phpEmpty, "hostname": hostname,
		"commissionStatus": sv.Commission, "uuid": sv.UUID, "state": sv.State,
		"migratable": true, "timezone": "_default",
		"migrateLevel": 0, "deleteLevel": 0, "configLevel": 0, "backupLevel": 0,
		"elevated": false, "elevateId": nil, "elevate": false, "destroyable": true,
		"rebuild": sv.State == stateQueued && sv.Built != nil, "suspended": sv.Suspended, "protected": sv.Protected,
		"buildFailed": false, "primaryNetworkDhcp4": false, "primaryNetworkDhcp6": false,
		"built": tsServerPtr(sv.Built), "created": tsServer(sv.Created), "updated": tsServer(sv.Updated),
		"traffic": M{"public": M{"countMethod": 1, "currentPeriod": M{
			"start": periodStart.Format("2006-01-02T15:04:05.000000Z"),
			"end":   periodEnd.Add(-time.Microsecond).Format("2006-01-02T15:04:05.000000Z"),
			"limit": sv.Traffic}}},
		"settings": settings,
		"cpu": M{"cores": sv.CPUCores, "type": "inherit", "typeExact": "host-model", "shares": 1024, "throttle": 0,
			"topology": M{"enabled": false, "sockets": 1, "cores": 1, "threads": 1, "dies": 1}},
		"qemuCommandline": phpEmpty,
		"qemuAgent":       M{"os": M{"screen": screenPNG}},
		"media":           M{"isoMounted": false, "isoType": "local", "isoName": "", "isoFilename": "", "isoUrl": "", "isoDownload": false},
		"backupPlan":      M{"id": nullInt(sv.BackupPlan), "name": backupName},
		"vnc":             M{"ip": h.IP, "port": sv.VNCPort, "enabled": sv.VNCEnabled},
		"network":         M{"interfaces": []any{iface}, "secondaryInterfaces": []any{}},
		"storage": []any{M{"_id": 1000 + sv.ID, "id": 1, "capacity": sv.Storage, "drive": "a", "type": "qcow2", "profile": 1,
			"status": 3, "enabled": true, "primary": true, "local": true, "locationType": "mountpoint",
			"path": "/home/vf-data/disk", "name": sv.UUID + "_1", "filename": sv.UUID + "_1.img",
			"iops": M{"read": nil, "write": nil}, "bytes": M{"read": nil, "write": nil},
			"created": tsServer(sv.Created), "updated": tsServer(sv.Updated)}},
		"hypervisorAssets": []any{},
		"hypervisor": M{"id": h.ID, "ip": h.IP, "hostname": nil, "port": 8892, "maintenance": false,
			"groupId": g.ID, "group": M{"name": g.Name, "icon": g.Icon},
			"name": h.Name, "displayName": nil, "timezone": "Europe/London",
			"resources": M{"memory": resource("MB", h.MaxMemory, hu.Memory)}},
		"owner":       ownerObj,
		"sshKeys":     keys,
		"sharedUsers": []any{},
		"tasks":       M{"active": sv.ActiveTask != 0, "lastOn": lastOn, "actions": M{"pending": pending}},
	}
	// No "os" object: the spec's server examples have none and name the
	// OS only by settings.osTemplateInstallId.
	switch {
	case o.create || o.decryptedPassword != "":
		// The create and build responses have no remoteState key at all.
	case o.remoteState:
		out["remoteState"] = s.remoteState(sv, now)
	default:
		out["remoteState"] = false
	}
	return out
}

// remoteState is the live libvirt/agent view. Memory keys from both client
// families are emitted (§4.1 notes). Stats move with time.
func (s *Sim) remoteState(sv *server, now time.Time) M {
	if !sv.Running {
		return M{"state": "stopped", "running": false, "cpu": 0, "memory": phpEmpty, "disk": phpEmpty, "agent": phpEmpty}
	}
	t := float64(now.UnixMilli()) / 1000
	cpu := 12 + 9*math.Sin(t/23+sv.CPUPhase) + 4*math.Sin(t/3.7+2*sv.CPUPhase)
	cpu = math.Round(math.Max(0.3, cpu)*10) / 10
	totalKB := sv.Memory * 1024
	used := int(float64(totalKB) * (0.35 + 0.1*math.Sin(t/60+sv.CPUPhase)))
	diskTotal := int64(sv.Storage) << 30
	fsTotal := diskTotal - 512<<20
	fsUsed := int64(float64(fsTotal) * (0.18 + 0.02*math.Sin(t/600)))
	return M{
		"state": "running", "running": true, "cpu": cpu,
		"memory": M{"actual": totalKB, "unused": totalKB - used, "available": totalKB - 45000, "rss": used + 60000,
			"memtotal": totalKB - 45000, "memavailable": totalKB - used, "memfree": totalKB - used - totalKB/10},
		"disk": M{"vda": M{"rd.bytes": int64(sv.RdBytes), "wr.bytes": int64(sv.WrBytes),
			"capacity": strconv.FormatInt(diskTotal, 10), "allocation": strconv.FormatInt(fsUsed+300<<20, 10),
			"physical": strconv.FormatInt(fsUsed+400<<20, 10)}},
		"agent": M{"fsinfo": []any{M{"name": "vda1", "mountpoint": "/", "type": "ext4", "used-bytes": fsUsed, "total-bytes": fsTotal}}},
	}
}

// renderServerSimple is a GET /servers (type=simple) item: note commissioned and owner.
func renderServerSimple(sv *server) M {
	return M{"id": sv.ID, "uuid": sv.UUID, "name": sv.Name, "commissioned": sv.Commission, "owner": sv.OwnerID,
		"hypervisorId": sv.HypID, "suspended": sv.Suspended, "protected": sv.Protected,
		"updated": tsServer(sv.Updated), "created": tsServer(sv.Created)}
}

// renderUserServer is the flatter GET /servers/user/{id} item of §4.2.
func (s *Sim) renderUserServer(sv *server) M {
	h := s.hypervisors[sv.HypID]
	ipv4 := []any{}
	for i, ip := range sv.IPv4 {
		b := s.blocks[ip.BlockID]
		ipv4 = append(ipv4, M{"order": i + 1, "enabled": true, "address": ip.Addr.String(), "gateway": b.Gateway.String(),
			"netmask": netmask(b.Prefix), "resolver1": "1.1.1.1", "resolver2": "8.8.8.8"})
	}
	ipv6 := []any{}
	if sv.IPv6Subnet != "" {
		ipv6 = append(ipv6, M{"order": 1, "enabled": true, "subnet": sv.IPv6Subnet, "cidr": 64, "gateway": sv.IPv6Gateway,
			"addresses": []string{sv.IPv6Subnet + "1"}})
	}
	vncEnabled := 0
	if sv.VNCEnabled {
		vncEnabled = 1
	}
	return M{
		"id": sv.ID, "ownerId": sv.OwnerID, "hypervisorId": sv.HypID, "name": sv.Name, "hostname": nullStr(sv.Hostname),
		"commissionStatus": sv.Commission, "uuid": sv.UUID, "state": sv.State,
		"rebuild": false, "suspended": sv.Suspended, "protected": sv.Protected, "buildFailed": false,
		"backup_level": 0, "backup_plan": nullInt(sv.BackupPlan),
		"os":          M{"screen": screenPNG},
		"server_info": M{"show": false, "icon": nil, "name": nil, "label": nil},
		"vnc":         M{"expose_details": true, "ip": h.IP, "hostname": nil, "port": sv.VNCPort, "enabled": vncEnabled},
		"resources":   M{"memory": sv.Memory, "storage": sv.Storage, "traffic": sv.Traffic, "cpuCores": sv.CPUCores, "cpu_model": nil},
		"network": M{"interfaces": []any{M{"order": 1, "enabled": true, "tag": sv.NICTag, "name": "eth0", "mac": sv.MAC,
			"inAverage": sv.SpeedIn, "inPeak": 0, "inBurst": 0, "outAverage": sv.SpeedOut, "outPeak": 0, "outBurst": 0,
			"isNat": false, "ipv4": ipv4, "ipv6": ipv6}}},
		"media": M{"isoMounted": false, "isoName": ""},
	}
}

// resource is the {units,max,allocated,free,percent} block of stock reports.
func resource(units string, maxV, alloc int) M {
	var pct any
	if maxV > 0 {
		pct = math.Round(float64(alloc)/float64(maxV)*1000) / 10
	}
	return M{"units": units, "max": maxV, "allocated": alloc, "free": max(0, maxV-alloc), "percent": pct}
}

func renderGroup(g *group) M {
	return M{"id": g.ID, "name": g.Name, "label": nullStr(g.Label), "description": nullStr(g.Description),
		"distributionType": 1, "enabled": g.Enabled, "default": g.Default,
		"created": tsServer(g.Created), "updated": tsServer(g.Created)}
}

func (s *Sim) renderHypervisor(h *hypervisor) M {
	g := s.groups[h.GroupID]
	return M{"id": h.ID, "commissioned": 3, "ip": h.IP, "ipAlt": nil, "hostname": h.Name + ".hv.example.net",
		"port": 8892, "sshPort": 22, "name": h.Name, "maintenance": false, "enabled": true, "nfType": 1,
		"group": renderGroup(g), "encryptedToken": "eyJpdiI6" + strconv.Itoa(h.ID*7919),
		"maxServers": h.MaxServers, "maxCpu": h.MaxCPU, "maxMemory": h.MaxMemory,
		"networks": []any{M{"id": h.ID, "type": "simpleBridge", "bridge": "br0", "primary": true, "default": true}},
		"storage":  []any{M{"id": 1, "name": "Local NVMe", "path": "/home/vf-data/disk", "capacity": h.MaxStorage, "enabled": true}},
		"created":  tsServer(h.Created), "updated": tsServer(h.Created)}
}

func (s *Sim) renderResources(h *hypervisor) M {
	u := s.hypUsage(h)
	ls := resource("GB", h.MaxStorage, u.Disk)
	ls["enabled"], ls["name"], ls["storageType"] = true, "Local NVMe", 1
	free := 0
	if b := s.blocks[s.groups[h.GroupID].V4Block]; b != nil {
		free = s.freeIPv4(b)
	}
	return M{
		"hypervisor": M{"id": h.ID, "name": h.Name, "enabled": true, "prohibit": false, "accept": true, "commissioned": true},
		"resources": M{
			"servers":      resource("", h.MaxServers, u.Servers),
			"memory":       resource("MB", h.MaxMemory, u.Memory),
			"cpuCores":     resource("", h.MaxCPU, u.CPU),
			"localStorage": ls,
			"otherStorage": []any{},
			"network":      M{"total": M{"ipv4": M{"free": free}}},
		},
	}
}

func (s *Sim) renderQueue(q *queueItem) M {
	now := s.now()
	progress := 100
	if q.Finished == nil {
		total := q.Due.Sub(q.Started)
		if total > 0 {
			progress = min(99, int(float64(now.Sub(q.Started))/float64(total)*100))
		}
	}
	var finished any
	if q.Finished != nil {
		finished = tsServer(*q.Finished)
	}
	updated := now
	if q.Finished != nil {
		updated = *q.Finished
	}
	return M{"id": q.ID, "jobId": q.JobID, "job": q.Job, "hypervisorId": q.HypID, "serverId": q.ServerID,
		"action": q.Action, "queue": "default", "started": tsServer(q.Started), "updated": tsServer(updated),
		"finished": finished, "failed": q.Failed, "progress": progress, "errors": phpEmpty,
		"primaryActions": []any{M{"type": "server", "dataType": "action", "data": q.Action, "created": tsServer(q.Started), "updated": tsServer(updated)}},
		"subActions":     []any{}}
}

func nullInt(v int) any {
	if v == 0 {
		return nil
	}
	return v
}

// trafficPeriod is the monthly window containing now, anchored on the day
// the server was created (VirtFusion counts per server anniversary).
func (s *Sim) trafficPeriod(sv *server, now time.Time) (time.Time, time.Time) {
	anchor := sv.Created.UTC().Day()
	start := time.Date(now.Year(), now.Month(), min(anchor, 28), 0, 0, 0, 0, time.UTC)
	if start.After(now) {
		start = start.AddDate(0, -1, 0)
	}
	return start, start.AddDate(0, 1, 0)
}

// screenPNG is a tiny 1x1 black PNG standing in for the qemu screenshot.
const screenPNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
