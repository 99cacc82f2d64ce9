// Mapping of VirtFusion's objects to the panel's domain types. The handlers
// speak internal/panel; what VirtFusion calls things stays in this package.

package virtfusion

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Summarize converts a VirtFusion server into what the customer sees.
// pkgs (may be nil) lets it name the package the server matches.
func Summarize(s *Server, pkgs []Package) *panel.Server {
	out := &panel.Server{
		ID: s.ID, UUID: s.UUID, Name: s.Name, Hostname: s.Hostname,
		Provisioning: Provisioning(s), Power: PowerState(s), Suspended: s.Suspended,
		IPv4: []string{}, IPv6: []string{},
		OS: panel.ServerOS{Name: s.OSTemplateName, Icon: IconSlug(s.OSTemplateName)},
		Resources: panel.ServerResources{CPUCores: s.Resources.CPUCores, MemoryMB: s.Resources.MemoryMB,
			StorageGB: s.Resources.StorageGB, TrafficGB: s.Resources.TrafficGB},
		CreatedAt: s.Created.UTC(), OwnerVFID: s.OwnerID,
	}
	// Public addresses first, so the primary IPv4 is the public one even
	// when a private network's interface is listed before it.
	if p := s.PrimaryIPv4(); p != "" {
		out.IPv4 = append(out.IPv4, p)
	}
	for _, a := range s.IPv4 {
		switch {
		case a.Address == "" || slices.Contains(out.IPv4, a.Address):
		case a.Public():
			out.IPv4 = append(out.IPv4, a.Address)
		case !slices.Contains(out.PrivateIPv4, a.Address):
			out.PrivateIPv4 = append(out.PrivateIPv4, a.Address)
		}
	}
	for _, sn := range s.IPv6 {
		if !sn.Public() {
			continue // private networks' IPv6 are not the server's addresses on the internet
		}
		if len(sn.Addresses) > 0 {
			out.IPv6 = append(out.IPv6, sn.Addresses...)
		} else if sn.Subnet != "" {
			out.IPv6 = append(out.IPv6, sn.Subnet+"/"+strconv.Itoa(sn.CIDR))
		}
	}
	if s.HypervisorGroupID > 0 {
		out.Location = &panel.ServerLocation{ID: s.HypervisorGroupID, Name: s.HypervisorGroup}
	}
	out.Package = matchPackage(s.Resources, pkgs)
	return out
}

// matchPackage names the package whose resources the server has.
// VirtFusion's server object does not say which package it came from.
func matchPackage(r Resources, pkgs []Package) *panel.ServerPackage {
	var best *panel.ServerPackage
	for _, p := range pkgs {
		if int64(p.CPUCores) == r.CPUCores && int64(p.MemoryMB) == r.MemoryMB && int64(p.PrimaryStorageGB) == r.StorageGB {
			// Prefer an enabled package when a retired one has the same shape.
			if best == nil || bool(p.Enabled) {
				best = &panel.ServerPackage{ID: int64(p.ID), Name: string(p.Name)}
				if bool(p.Enabled) {
					return best
				}
			}
		}
	}
	return best
}

// Provisioning maps VirtFusion's build state to the panel's: the state
// string when it is one of the documented ones, else commissionStatus
// (commissioned in lists), whose every documented value is mapped.
func Provisioning(s *Server) string {
	switch {
	case s.BuildFailed || s.State == "failed":
		return panel.ProvisionFailed
	case s.State == "queued" || s.Rebuild:
		return panel.ProvisionBuilding
	case s.State == "complete":
		return panel.ProvisionComplete
	case s.State == "allocated":
		return panel.ProvisionAllocated
	}
	switch s.CommissionStatus {
	case CommissionBuilding:
		return panel.ProvisionBuilding
	case CommissionFailed:
		return panel.ProvisionFailed
	case CommissionComplete:
		return panel.ProvisionComplete
	}
	return panel.ProvisionAllocated
}

// PowerState maps the live state to running, stopped or unknown.
func PowerState(s *Server) string {
	switch {
	case s.RemoteState == nil:
		return panel.PowerUnknown
	case s.RemoteState.Running:
		return panel.PowerRunning
	default:
		return panel.PowerStopped
	}
}

// BuildState describes the OS installation.
func BuildState(s *Server) panel.ServerBuild {
	b := panel.ServerBuild{State: s.State}
	if b.State == "" {
		b.State = panel.ProvisionAllocated
	}
	switch Provisioning(s) {
	case panel.ProvisionComplete:
		b.State, b.Progress = "complete", 100
	case panel.ProvisionFailed:
		b.State = "failed"
	case panel.ProvisionBuilding:
		b.State = "queued"
		if s.TasksActive {
			b.State, b.Progress = "running", 50
		}
	}
	return b
}

// ServerMetrics normalises remoteState: memory from KB to bytes, preferring the
// guest's own view (qemu agent) over balloon statistics; disk space from
// the guest filesystems, else the virtual disks.
func ServerMetrics(s *Server, now time.Time) panel.Metrics {
	m := panel.Metrics{SampledAt: now.UTC()}
	rs := s.RemoteState
	if rs == nil {
		return m
	}
	m.Running = rs.Running
	m.CPUPercent = rs.CPU
	mem := rs.Memory
	switch {
	case mem.TotalKB > 0 && mem.MemAvailableKB > 0:
		m.Memory = panel.MemoryUsage{TotalBytes: mem.TotalKB << 10, UsedBytes: max(0, mem.TotalKB-mem.MemAvailableKB) << 10}
	case mem.ActualKB > 0:
		m.Memory = panel.MemoryUsage{TotalBytes: mem.ActualKB << 10, UsedBytes: max(0, mem.ActualKB-mem.UnusedKB) << 10}
	case mem.TotalKB > 0:
		// Windows guests report only memtotal and memfree.
		m.Memory = panel.MemoryUsage{TotalBytes: mem.TotalKB << 10, UsedBytes: max(0, mem.TotalKB-mem.FreeKB) << 10}
	case s.Resources.MemoryMB > 0:
		// No guest figures at all: the size is still known, the use is not.
		m.Memory = panel.MemoryUsage{TotalBytes: s.Resources.MemoryMB << 20}
	}
	if m.Memory.UsedBytes > m.Memory.TotalBytes {
		m.Memory.UsedBytes = m.Memory.TotalBytes
	}
	for _, fs := range rs.FSInfo {
		m.Disk.UsedBytes += fs.UsedBytes
		m.Disk.TotalBytes += fs.TotalBytes
	}
	for _, d := range rs.Disks {
		if len(rs.FSInfo) == 0 {
			m.Disk.TotalBytes += d.CapacityBytes
			m.Disk.UsedBytes += d.AllocBytes
		}
		m.Disk.ReadBytes += d.ReadBytes
		m.Disk.WriteBytes += d.WriteBytes
	}
	if m.Disk.TotalBytes == 0 {
		m.Disk.TotalBytes = s.Resources.StorageGB << 30
	}
	return m
}

// PanelTask converts a VirtFusion queue item.
func PanelTask(q *QueueItem) panel.Task {
	t := panel.Task{ID: strconv.FormatInt(int64(q.ID), 10), Action: taskAction(string(q.Action)), Progress: int(q.Progress)}
	if !q.Started.IsZero() {
		st := q.Started.UTC()
		t.StartedAt = &st
	}
	switch {
	case q.Done():
		f := q.Finished.UTC()
		t.FinishedAt = &f
		t.Status, t.Progress = panel.TaskDone, 100
		if bool(q.Failed) {
			t.Status = panel.TaskFailed
		}
	case t.Progress > 0:
		t.Status = panel.TaskRunning
	default:
		t.Status = panel.TaskPending
	}
	return t
}

// taskAction names a queue item's action as the UI knows it.
func taskAction(a string) string {
	for _, p := range []string{"boot", "shutdown", "restart", "poweroff"} {
		if strings.Contains(strings.ToLower(a), p) {
			return p
		}
	}
	switch {
	case strings.Contains(a, "password"):
		return "reset-password"
	case strings.Contains(a, "build"):
		return "reinstall"
	}
	return a
}

// PanelTraffic converts traffic months to the panel's periods.
func PanelTraffic(ms []TrafficMonth) []panel.TrafficPeriod {
	out := make([]panel.TrafficPeriod, 0, len(ms))
	for _, m := range ms {
		out = append(out, panel.TrafficPeriod{Start: m.Start.UTC(), End: m.End.UTC(), RxBytes: int64(m.RX),
			TxBytes: int64(m.TX), TotalBytes: int64(m.Total), LimitGB: int64(m.LimitGB)})
	}
	return out
}

// PanelBackups converts VirtFusion backups to the panel's.
func PanelBackups(bs []Backup) []panel.Backup {
	out := make([]panel.Backup, 0, len(bs))
	for _, b := range bs {
		pb := panel.Backup{ID: int64(b.ID), CreatedAt: b.Created.UTC(), Complete: bool(b.Complete), Storage: string(b.Storage.Name)}
		if pb.Complete {
			pb.Progress = 100
		}
		out = append(out, pb)
	}
	return out
}

// SetOrderedPackage names s's package from the package it was ordered with
// (pkgID > 0), which beats the guess from its resources. The name comes
// from pkgs; a package VirtFusion no longer lists keeps its id only.
func SetOrderedPackage(s *panel.Server, pkgID int64, pkgs []Package) {
	if pkgID <= 0 {
		return
	}
	p := &panel.ServerPackage{ID: pkgID}
	for _, vp := range pkgs {
		if int64(vp.ID) == pkgID {
			p.Name = string(vp.Name)
			break
		}
	}
	if p.Name == "" && s.Package != nil && s.Package.ID == pkgID {
		p.Name = s.Package.Name
	}
	s.Package = p
}

// PanelLocation converts a hypervisor group (without its stock).
func PanelLocation(hg HypervisorGroup) panel.Location {
	loc := panel.Location{ID: int64(hg.ID), Name: string(hg.Name), Description: string(hg.Description)}
	if loc.Description == "" {
		loc.Description = string(hg.Label)
	}
	return loc
}

// FreeServers is how many more servers a group can take: the free server
// slots of its hypervisors that accept new servers, capped by the free
// IPv4 addresses of its pool (every server needs one).
func FreeServers(res []HypervisorResources) int64 {
	var slots, ipv4 int64
	for _, hr := range res {
		hv := hr.Hypervisor
		if !bool(hv.Enabled) || bool(hv.Prohibit) || !bool(hv.Accept) {
			continue
		}
		slots += max(0, int64(hr.Resources.Servers.Free))
		// Hypervisors of a group share its pool, so take the largest report.
		ipv4 = max(ipv4, int64(hr.Resources.Network.Total.IPv4.Free))
	}
	return min(slots, ipv4)
}

// PanelPackage converts a package (without its price).
func PanelPackage(p Package) panel.Package {
	return panel.Package{ID: int64(p.ID), Name: string(p.Name), Description: string(p.Description),
		CPUCores: int64(p.CPUCores), MemoryMB: int64(p.MemoryMB), StorageGB: int64(p.PrimaryStorageGB),
		TrafficGB: int64(p.TrafficGB)}
}

// PanelTemplateGroups converts template groups to the panel's shape.
func PanelTemplateGroups(gs []TemplateGroup) []panel.TemplateGroup {
	out := make([]panel.TemplateGroup, 0, len(gs))
	for _, g := range gs {
		pg := panel.TemplateGroup{ID: int64(g.ID), Name: string(g.Name), Icon: IconSlug(string(g.Icon)),
			Templates: make([]panel.Template, 0, len(g.Templates))}
		if pg.Icon == "" {
			pg.Icon = IconSlug(pg.Name)
		}
		for _, t := range g.Templates {
			pg.Templates = append(pg.Templates, panel.Template{ID: int64(t.ID), Name: string(t.Name),
				Version: string(t.Version), Variant: string(t.Variant), Type: string(t.Type), EOL: bool(t.EOL)})
		}
		out = append(out, pg)
	}
	return out
}

// IconSlug turns a VirtFusion icon file ("debian_logo.png") or an OS name
// ("Ubuntu 24.04") into the short slug the UI maps to an icon ("debian",
// "ubuntu").
func IconSlug(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.LastIndexByte(s, '.'); i > 0 && !strings.ContainsAny(s[i:], " ") && len(s)-i <= 5 {
		s = s[:i]
	}
	s = strings.TrimSuffix(s, "_logo")
	s = strings.TrimSuffix(s, "-logo")
	if f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '_' || r == '-' }); len(f) > 0 {
		return f[0]
	}
	return ""
}
