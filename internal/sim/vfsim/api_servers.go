package vfsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// serverFrom resolves {id}; nil means it already wrote the 404.
func (s *Sim) serverFrom(w http.ResponseWriter, r *http.Request) *server {
	id, ok := pathInt(r, "id")
	sv := s.servers[id]
	if !ok || sv == nil {
		serverNotFound(w)
		return nil
	}
	return sv
}

// locked writes 423 when the server has a task running.
func (s *Sim) locked(w http.ResponseWriter, sv *server) bool {
	if sv.ActiveTask == 0 {
		return false
	}
	if q := s.queue[sv.ActiveTask]; q != nil && q.Action == "build_server" {
		writeMsg(w, 423, "server is currently being built")
	} else {
		writeMsg(w, 423, "server is locked by another task")
	}
	return true
}

// suspendedOrLocked writes 423 when sv is suspended or has a task running.
func (s *Sim) suspendedOrLocked(w http.ResponseWriter, sv *server) bool {
	if sv.Suspended {
		writeMsg(w, 423, "server is suspended")
		return true
	}
	return s.locked(w, sv)
}

// enqueueLocked starts a task on sv; applyTaskLocked carries out its effect
// when it finishes.
func (s *Sim) enqueueLocked(sv *server, action, job string, d time.Duration) *queueItem {
	now := s.now()
	s.seq.queue++
	q := &queueItem{ID: s.seq.queue, JobID: newUUID(), Job: job, Action: action, ServerID: sv.ID, HypID: sv.HypID,
		Started: now, Due: now.Add(d)}
	s.queue[q.ID] = q
	sv.ActiveTask = q.ID
	sv.Updated = now
	return q
}

// applyTaskLocked is what a finished task does to its server. It depends
// only on the stored item, so tasks resume after a restart (StateFile).
func (s *Sim) applyTaskLocked(q *queueItem, sv *server, at time.Time) {
	switch q.Action {
	case "build_server":
		sv.State, sv.Commission = stateComplete, 3
		built := at
		sv.Built = &built
		sv.Running = true
		sv.LastTick = at
		if sv.WantIPv6 {
			s.assignIPv6Locked(sv, s.groups[sv.GroupID])
		}
		s.emitLocked("server.build", sv)
	case "boot", "shutdown", "restart", "poweroff":
		sv.Running = q.Action == "boot" || q.Action == "restart"
		sv.LastTick = at
		s.emitLocked("server."+q.Action, sv)
	}
}

func (s *Sim) listServers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	hyp := map[int]bool{}
	for _, v := range append(q["hypervisorId"], q["hypervisorId[]"]...) {
		if n, err := strconv.Atoi(v); err == nil {
			hyp[n] = true
		}
	}
	full := q.Get("type") == "full"
	items := []any{}
	for _, id := range sortedKeys(s.servers) {
		sv := s.servers[id]
		if len(hyp) > 0 && !hyp[sv.HypID] {
			continue
		}
		if full {
			items = append(items, s.renderServer(sv, serverRender{}))
		} else {
			items = append(items, renderServerSimple(sv))
		}
	}
	s.paginate(w, r, items)
}

func (s *Sim) listUserServers(w http.ResponseWriter, r *http.Request) {
	uid, ok := pathInt(r, "uid")
	if !ok || s.users[uid] == nil {
		writeMsg(w, 404, "user not found")
		return
	}
	items := []any{}
	for _, id := range sortedKeys(s.servers) {
		if sv := s.servers[id]; sv.OwnerID == uid {
			items = append(items, s.renderUserServer(sv))
		}
	}
	writeData(w, 200, items)
}

func (s *Sim) getServer(w http.ResponseWriter, r *http.Request) {
	sv := s.serverFrom(w, r)
	if sv == nil {
		return
	}
	writeData(w, 200, s.renderServer(sv, serverRender{remoteState: queryBool(r, "remoteState")}))
}

func (s *Sim) getServerSub(w http.ResponseWriter, r *http.Request) {
	switch r.PathValue("sub") {
	case "templates", "vnc", "traffic":
	default:
		routeNotFound(w, r)
		return
	}
	sv := s.serverFrom(w, r)
	if sv == nil {
		return
	}
	switch r.PathValue("sub") {
	case "templates":
		writeData(w, 200, s.templateGroups(sv.Memory, sv.Storage))
	case "vnc":
		writeData(w, 200, M{"vnc": s.vncDetails(sv, true)})
	case "traffic":
		s.traffic(w, sv)
	}
}

func (s *Sim) createServer(w http.ResponseWriter, r *http.Request) {
	var in struct {
		PackageID    int  `json:"packageId"`
		UserID       int  `json:"userId"`
		HypervisorID int  `json:"hypervisorId"` // a hypervisor GROUP id
		IPv4         *int `json:"ipv4"`
		Storage      *int `json:"storage"`
		Traffic      *int `json:"traffic"`
		Memory       *int `json:"memory"`
		CPUCores     *int `json:"cpuCores"`
		SpeedIn      *int `json:"networkSpeedInbound"`
		SpeedOut     *int `json:"networkSpeedOutbound"`
	}
	if !decodeOr422(w, r, &in) {
		return
	}
	var errs []string
	p := s.packages[in.PackageID]
	switch {
	case in.PackageID == 0:
		errs = append(errs, "The package id field is required.")
	case p == nil:
		errs = append(errs, "The selected package id is invalid.")
	case !p.Enabled:
		errs = append(errs, "The selected package is disabled.")
	}
	switch {
	case in.UserID == 0:
		errs = append(errs, "The user id field is required.")
	case s.users[in.UserID] == nil:
		errs = append(errs, "The selected user id is invalid.")
	}
	g := s.groups[in.HypervisorID]
	switch {
	case in.HypervisorID == 0:
		errs = append(errs, "The hypervisor id field is required.")
	case g == nil || !g.Enabled:
		errs = append(errs, "The selected hypervisor id is invalid.")
	}
	ipv4 := 1
	if in.IPv4 != nil {
		ipv4 = *in.IPv4
		if ipv4 < 0 || ipv4 > 16 {
			errs = append(errs, "The ipv4 must be between 0 and 16.")
		}
	}
	for _, f := range []struct {
		name string
		v    *int
		min  int
	}{{"storage", in.Storage, 1}, {"traffic", in.Traffic, 0}, {"memory", in.Memory, 256}, {"cpu cores", in.CPUCores, 1}} {
		if f.v != nil && *f.v < f.min {
			errs = append(errs, fmt.Sprintf("The %s must be at least %d.", f.name, f.min))
		}
	}
	if len(errs) > 0 {
		writeErrors(w, 422, errs...)
		return
	}
	mem, disk, cpu, traffic := p.Memory, p.Storage, p.CPUCores, p.Traffic
	if in.Memory != nil {
		mem = *in.Memory
	}
	if in.Storage != nil {
		disk = *in.Storage
	}
	if in.CPUCores != nil {
		cpu = *in.CPUCores
	}
	if in.Traffic != nil {
		traffic = *in.Traffic
	}
	h := s.place(g.ID, mem, cpu, disk)
	if h == nil {
		writeErrors(w, 422, "No hypervisor in the selected group has enough resources for this server.")
		return
	}
	if b := s.blocks[g.V4Block]; ipv4 > 0 && (b == nil || s.freeIPv4(b) < ipv4) {
		writeErrors(w, 422, "Not enough free IPv4 addresses in the selected group.")
		return
	}
	if queryBool(r, "dryRun") {
		// Nothing is created; say where it would go.
		writeData(w, 200, M{"dryRun": true, "packageId": p.ID, "userId": in.UserID, "hypervisorGroupId": g.ID, "hypervisorId": h.ID,
			"resources": M{"memory": mem, "storage": disk, "traffic": traffic, "cpuCores": cpu}, "ipv4": ipv4})
		return
	}
	sv := s.newServerLocked(in.UserID, p, g, h, ipv4, s.now())
	sv.Memory, sv.Storage, sv.CPUCores, sv.Traffic = mem, disk, cpu, traffic
	if in.SpeedIn != nil {
		sv.SpeedIn = *in.SpeedIn
	}
	if in.SpeedOut != nil {
		sv.SpeedOut = *in.SpeedOut
	}
	s.emitLocked("server.create", sv)
	writeData(w, 201, s.renderServer(sv, serverRender{create: true}))
}

func (s *Sim) buildServer(w http.ResponseWriter, r *http.Request) {
	sv := s.serverFrom(w, r)
	if sv == nil {
		return
	}
	var in struct {
		OperatingSystemID int             `json:"operatingSystemId"`
		Name              string          `json:"name"`
		Hostname          string          `json:"hostname"`
		SSHKeys           []int           `json:"sshKeys"`
		VNC               *bool           `json:"vnc"`
		IPv6              *bool           `json:"ipv6"`
		Email             bool            `json:"email"`
		Swap              json.RawMessage `json:"swap"`
	}
	if !decodeOr422(w, r, &in) {
		return
	}
	if s.suspendedOrLocked(w, sv) {
		return
	}
	var errs []string
	t, ok := s.templateByID(in.OperatingSystemID)
	switch {
	case in.OperatingSystemID == 0:
		errs = append(errs, "The operating system id field is required.")
	case !ok:
		errs = append(errs, "The selected operating system id is invalid.")
	case !templateAllowed(t, sv.Memory, sv.Storage):
		errs = append(errs, "The selected operating system is not available for this server's resources.")
	}
	for _, kid := range in.SSHKeys {
		if k := s.keys[kid]; k == nil || k.UserID != sv.OwnerID {
			errs = append(errs, fmt.Sprintf("SSH key %d does not belong to the server owner.", kid))
		}
	}
	if len(in.Name) > 63 {
		errs = append(errs, "The name may not be greater than 63 characters.")
	}
	if len(errs) > 0 {
		writeErrors(w, 422, errs...)
		return
	}
	now := s.now()
	password := randString(20)
	sv.TemplateID = t.ID
	sv.State, sv.Commission = stateQueued, 1
	sv.Running = false // installer owns the disk until the build completes
	if in.Name != "" {
		sv.Name = in.Name
	} else if sv.Name == "" {
		sv.Name = randomServerName()
	}
	if in.Hostname != "" {
		sv.Hostname = in.Hostname
	}
	sv.SSHKeys = append([]int(nil), in.SSHKeys...)
	if in.VNC != nil {
		sv.VNCEnabled = *in.VNC
	}
	if in.IPv6 != nil {
		sv.WantIPv6 = *in.IPv6
	}
	sv.EncryptedPassword = "eyJpdiI6" + randString(40)
	sv.Updated = now
	s.enqueueLocked(sv, "build_server", `App\Jobs\Server\KVM\Build`, s.opts.BuildDelay)
	writeData(w, 200, s.renderServer(sv, serverRender{decryptedPassword: password}))
}

func (s *Sim) deleteServer(w http.ResponseWriter, r *http.Request) {
	sv := s.serverFrom(w, r)
	if sv == nil {
		return
	}
	delay := 5
	if v := r.URL.Query().Get("delay"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 43800 {
			writeErrors(w, 422, "The delay must be between 0 and 43800.")
			return
		}
		delay = n
	}
	if delay == 0 {
		s.deleteLocked(sv, true)
	} else {
		at := s.now().Add(time.Duration(delay) * time.Minute)
		sv.DeleteAt = &at
	}
	noContent(w, 204)
}

func (s *Sim) suspendServer(w http.ResponseWriter, r *http.Request) {
	sv := s.serverFrom(w, r)
	if sv == nil || s.locked(w, sv) {
		return
	}
	if !sv.Suspended {
		sv.Suspended = true
		sv.Updated = s.now()
		s.emitLocked("server.suspend", sv)
	}
	noContent(w, 204)
}

func (s *Sim) unsuspendServer(w http.ResponseWriter, r *http.Request) {
	sv := s.serverFrom(w, r)
	if sv == nil || s.locked(w, sv) {
		return
	}
	if !sv.Suspended {
		writeErrors(w, 409, "Server is not suspended.")
		return
	}
	sv.Suspended = false
	sv.Updated = s.now()
	s.emitLocked("server.unsuspend", sv)
	noContent(w, 204)
}

func (s *Sim) changeOwner(w http.ResponseWriter, r *http.Request) {
	sv := s.serverFrom(w, r)
	if sv == nil {
		return
	}
	uid, ok := pathInt(r, "uid")
	if !ok || s.users[uid] == nil {
		writeErrors(w, 422, "The selected user is invalid.")
		return
	}
	sv.OwnerID = uid
	sv.SSHKeys = nil
	sv.Updated = s.now()
	noContent(w, 201)
}

func (s *Sim) renameServer(w http.ResponseWriter, r *http.Request) {
	sv := s.serverFrom(w, r)
	if sv == nil {
		return
	}
	var in struct {
		Name string `json:"name"`
	}
	if !decodeOr422(w, r, &in) {
		return
	}
	name := strings.TrimSpace(in.Name)
	switch {
	case name == "":
		writeErrors(w, 422, "The name field is required.")
		return
	case len(name) > 63:
		writeErrors(w, 422, "The name may not be greater than 63 characters.")
		return
	}
	for _, c := range name {
		if c < 0x20 || c == 0x7f {
			writeErrors(w, 422, "The name contains invalid characters.")
			return
		}
	}
	sv.Name = name
	sv.Updated = s.now()
	noContent(w, 201)
}

// modifyServer handles PUT /servers/{id}/modify/{cpuThrottle|memory|cpuCores|traffic}.
func (s *Sim) modifyServer(w http.ResponseWriter, r *http.Request) {
	what := r.PathValue("what")
	switch what {
	case "cpuThrottle", "memory", "cpuCores", "traffic":
	default:
		routeNotFound(w, r)
		return
	}
	sv := s.serverFrom(w, r)
	if sv == nil || s.locked(w, sv) {
		return
	}
	var in struct {
		Percent  *int `json:"percent"`
		Memory   *int `json:"memory"`
		CPUCores *int `json:"cpuCores"`
		Cores    *int `json:"cores"` // [EZ-SDK] spelling; both accepted
		Traffic  *int `json:"traffic"`
	}
	if !decodeOr422(w, r, &in) {
		return
	}
	bad := func(msg string) { writeErrors(w, 422, msg) }
	switch what {
	case "cpuThrottle":
		if in.Percent == nil || *in.Percent < 0 || *in.Percent > 99 {
			bad("The percent must be between 0 and 99.")
			return
		}
		noContent(w, 201)
		return
	case "memory":
		if in.Memory == nil || *in.Memory < 256 {
			bad("The memory must be at least 256.")
			return
		}
		sv.Memory = *in.Memory
	case "cpuCores":
		if in.CPUCores == nil {
			in.CPUCores = in.Cores
		}
		if in.CPUCores == nil || *in.CPUCores < 1 {
			bad("The cpu cores must be at least 1.")
			return
		}
		sv.CPUCores = *in.CPUCores
	case "traffic":
		if in.Traffic == nil || *in.Traffic < 0 {
			bad("The traffic must be at least 0.")
			return
		}
		sv.Traffic = *in.Traffic
	}
	sv.Updated = s.now()
	noContent(w, 204)
}

func (s *Sim) changePackage(w http.ResponseWriter, r *http.Request) {
	sv := s.serverFrom(w, r)
	if sv == nil {
		return
	}
	pid, _ := pathInt(r, "pid")
	p := s.packages[pid]
	if p == nil || !p.Enabled {
		writeErrors(w, 422, "The selected package is invalid.")
		return
	}
	// The body's optional booleans choose what is re-applied (absent: yes).
	var in struct {
		BackupPlan                  *bool `json:"backupPlan"`
		CPU                         *bool `json:"cpu"`
		Memory                      *bool `json:"memory"`
		PrimaryDiskReadIOPS         *bool `json:"primaryDiskReadIOPS"`
		PrimaryDiskReadThroughput   *bool `json:"primaryDiskReadThroughput"`
		PrimaryDiskSize             *bool `json:"primaryDiskSize"`
		PrimaryDiskWriteIOPS        *bool `json:"primaryDiskWriteIOPS"`
		PrimaryDiskWriteThroughput  *bool `json:"primaryDiskWriteThroughput"`
		PrimaryNetworkInboundSpeed  *bool `json:"primaryNetworkInboundSpeed"`
		PrimaryNetworkOutboundSpeed *bool `json:"primaryNetworkOutboundSpeed"`
		PrimaryNetworkTraffic       *bool `json:"primaryNetworkTraffic"`
	}
	if !decodeBody(r, &in) {
		writeErrors(w, 422, "The given data was invalid: each option must be true or false.")
		return
	}
	if s.locked(w, sv) {
		return
	}
	on := func(b *bool) bool { return b == nil || *b }
	var info []string
	upd := func(label string, cur *int, want int, unit string, noShrink bool, apply *bool) {
		switch {
		case !on(apply):
			info = append(info, label+" not updated. Not requested")
		case *cur == want:
			info = append(info, label+" not updated. It matches the current value")
		case noShrink && want < *cur:
			info = append(info, label+" not updated. It cannot be reduced")
		default:
			info = append(info, fmt.Sprintf("%s updated from %d%s to %d%s", label, *cur, unit, want, unit))
			*cur = want
		}
	}
	upd("CPU cores", &sv.CPUCores, p.CPUCores, "", false, in.CPU)
	upd("Memory", &sv.Memory, p.Memory, "MB", false, in.Memory)
	upd("Primary disk size", &sv.Storage, p.Storage, "GB", true, in.PrimaryDiskSize)
	upd("Primary network traffic", &sv.Traffic, p.Traffic, "GB", false, in.PrimaryNetworkTraffic)
	upd("Primary network inbound speed", &sv.SpeedIn, p.SpeedIn, "kB/s", false, in.PrimaryNetworkInboundSpeed)
	upd("Primary network outbound speed", &sv.SpeedOut, p.SpeedOut, "kB/s", false, in.PrimaryNetworkOutboundSpeed)
	sv.PackageID = p.ID
	if on(in.BackupPlan) {
		sv.BackupPlan = p.BackupPlan
	}
	sv.Updated = s.now()
	writeJSON(w, 200, M{"info": info})
}

var powerJobs = map[string]string{
	"boot":     `App\Jobs\Server\KVM\Power\Boot`,
	"shutdown": `App\Jobs\Server\KVM\Power\Shutdown`,
	"restart":  `App\Jobs\Server\KVM\Power\Restart`,
	"poweroff": `App\Jobs\Server\KVM\Power\PowerOff`,
}

func (s *Sim) powerServer(w http.ResponseWriter, r *http.Request) {
	action := r.PathValue("action")
	job, ok := powerJobs[action]
	if !ok {
		routeNotFound(w, r)
		return
	}
	sv := s.serverFrom(w, r)
	if sv == nil {
		return
	}
	if s.suspendedOrLocked(w, sv) {
		return
	}
	if sv.State != stateComplete {
		writeErrors(w, 422, "The server has not been built.")
		return
	}
	q := s.enqueueLocked(sv, action, job, s.opts.PowerDelay)
	writeData(w, 200, M{"queueId": q.ID})
}

func (s *Sim) resetServerPassword(w http.ResponseWriter, r *http.Request) {
	sv := s.serverFrom(w, r)
	if sv == nil {
		return
	}
	var in struct {
		User     string `json:"user"`
		SendMail *bool  `json:"sendMail"`
	}
	if !decodeOr422(w, r, &in) {
		return
	}
	if in.User == "" {
		writeErrors(w, 422, "The user field is required.")
		return
	}
	if s.suspendedOrLocked(w, sv) {
		return
	}
	if sv.State != stateComplete || !sv.Running {
		writeErrors(w, 422, "Unable to reset the password: the server is not running or the QEMU guest agent is not responding.")
		return
	}
	pw := randString(20)
	q := s.enqueueLocked(sv, "reset_password", `App\Jobs\Server\KVM\Agent\ResetPassword`, s.opts.PowerDelay)
	writeData(w, 200, M{"queueId": q.ID, "expectedPassword": pw})
}

func (s *Sim) traffic(w http.ResponseWriter, sv *server) {
	start, end := s.trafficPeriod(sv, s.now())
	n := len(sv.HistRx) + 1
	rx, tx := int64(sv.RxBytes), int64(sv.TxBytes)
	monthly := []any{M{"month": n, "start": tsPlain(start), "end": tsPlain(end.Add(-time.Second)),
		"rx": rx, "tx": tx, "total": rx + tx, "limit": sv.Traffic, "blocks": []any{}}}
	for i := range sv.HistRx {
		ps := start.AddDate(0, -(i + 1), 0)
		pe := start.AddDate(0, -i, 0)
		monthly = append(monthly, M{"month": n - i - 1, "start": tsPlain(ps), "end": tsPlain(pe.Add(-time.Second)),
			"rx": sv.HistRx[i], "tx": sv.HistTx[i], "total": sv.HistRx[i] + sv.HistTx[i], "limit": sv.Traffic, "blocks": []any{}})
	}
	writeData(w, 200, M{"monthly": monthly})
}

// vncDetails describes the console; withToken mints a websocket token
// (10 min) that /vnc/?token= accepts.
func (s *Sim) vncDetails(sv *server, withToken bool) M {
	h := s.hypervisors[sv.HypID]
	out := M{"ip": h.IP, "hostname": nil, "port": sv.VNCPort, "password": sv.VNCPassword, "enabled": sv.VNCEnabled}
	if withToken {
		tok := newUUID()
		s.vncTokens[tok] = vncToken{ServerID: sv.ID, Expires: s.now().Add(10 * time.Minute)}
		out["wss"] = M{"token": tok, "url": "/vnc/?token=" + tok}
	}
	return out
}

// setVNC accepts both {"action":"enable|disable"} (docs) and {"vnc":bool} (v7 client).
func (s *Sim) setVNC(w http.ResponseWriter, r *http.Request) {
	sv := s.serverFrom(w, r)
	if sv == nil {
		return
	}
	var in struct {
		Action *string `json:"action"`
		VNC    *bool   `json:"vnc"`
	}
	if !decodeOr422(w, r, &in) {
		return
	}
	switch {
	case in.Action != nil && *in.Action == "enable":
		sv.VNCEnabled = true
	case in.Action != nil && *in.Action == "disable":
		sv.VNCEnabled = false
	case in.VNC != nil:
		sv.VNCEnabled = *in.VNC
	default:
		writeErrors(w, 422, "The action field is required and must be enable or disable.")
		return
	}
	sv.Updated = s.now()
	writeData(w, 200, M{"vnc": s.vncDetails(sv, sv.VNCEnabled), "queueId": nil})
}

func (s *Sim) setBackupPlan(w http.ResponseWriter, r *http.Request) {
	sv := s.serverFrom(w, r)
	if sv == nil {
		return
	}
	plan, err := strconv.Atoi(r.PathValue("planId"))
	if _, ok := backupPlans[plan]; err != nil || (plan != 0 && !ok) {
		writeErrors(w, 422, "The selected backup plan is invalid.")
		return
	}
	sv.BackupPlan = plan
	sv.Updated = s.now()
	noContent(w, 201)
}

// listBackups invents the last few nightly backups since the server was built.
func (s *Sim) listBackups(w http.ResponseWriter, r *http.Request) {
	sv := s.serverFrom(w, r)
	if sv == nil {
		return
	}
	out := []any{}
	if sv.Built != nil {
		now := s.now()
		night := time.Date(now.Year(), now.Month(), now.Day(), 2, 0, 0, 0, time.UTC)
		for i := 0; i < 3; i++ {
			at := night.AddDate(0, 0, -i)
			if at.After(now) || at.Before(*sv.Built) {
				continue
			}
			done := at.Add(7 * time.Minute)
			out = append(out, M{"id": sv.ID*1000 + int(at.Unix()/86400%1000), "serverId": sv.ID,
				"storage":  M{"id": 1, "name": "Backup Storage (S3)", "enabled": true},
				"deleting": false, "restoring": false, "progress": false, "complete": true,
				"deleteAfter": tsServer(at.AddDate(0, 0, 7)), "created": tsServer(at), "updated": tsServer(done)})
		}
	}
	writeData(w, 200, out)
}

func (s *Sim) getQueue(w http.ResponseWriter, r *http.Request) {
	q := lookup(w, r, s.queue, "queue item")
	if q == nil {
		return
	}
	writeData(w, 200, s.renderQueue(q))
}

// addIPv4Qty is POST /servers/{id}/ipv4Qty {interface, quantity}: both
// required; the new addresses come back as a plain data list.
func (s *Sim) addIPv4Qty(w http.ResponseWriter, r *http.Request) {
	sv := s.serverFrom(w, r)
	if sv == nil {
		return
	}
	var in struct {
		Interface *string `json:"interface"`
		Quantity  *int    `json:"quantity"`
	}
	if !decodeOr422(w, r, &in) {
		return
	}
	var errs []string
	switch {
	case in.Interface == nil:
		errs = append(errs, "The interface field is required.")
	case *in.Interface == "secondary":
		errs = append(errs, "The server has no secondary interface.")
	case *in.Interface != "primary":
		errs = append(errs, "The selected interface is invalid.")
	}
	if in.Quantity == nil {
		errs = append(errs, "The quantity field is required.")
	} else if *in.Quantity < 1 || *in.Quantity > 16 {
		errs = append(errs, "The quantity must be between 1 and 16.")
	}
	if len(errs) > 0 {
		writeErrors(w, 422, errs...)
		return
	}
	g := s.groups[sv.GroupID]
	if b := s.blocks[g.V4Block]; b == nil || s.freeIPv4(b) < *in.Quantity {
		writeErrors(w, 422, "Not enough free IPv4 addresses in the server's group.")
		return
	}
	out := []any{}
	for range *in.Quantity {
		ip, _ := s.allocIPv4(g.V4Block)
		sv.IPv4 = append(sv.IPv4, ip)
		out = append(out, ip.Addr.String())
	}
	sv.Updated = s.now()
	writeData(w, 200, out)
}

// removeIPv4 is DELETE /servers/{id}/ipv4 {ip: [...]}: every address must
// be one of the server's.
func (s *Sim) removeIPv4(w http.ResponseWriter, r *http.Request) {
	sv := s.serverFrom(w, r)
	if sv == nil {
		return
	}
	var in struct {
		IP []string `json:"ip"`
	}
	if !decodeOr422(w, r, &in) {
		return
	}
	if len(in.IP) == 0 {
		writeErrors(w, 422, "The ip field is required.")
		return
	}
	for _, a := range in.IP {
		if !slices.ContainsFunc(sv.IPv4, func(ip ipv4Addr) bool { return ip.Addr.String() == a }) {
			writeErrors(w, 422, "The address "+a+" is not assigned to this server.")
			return
		}
	}
	sv.IPv4 = slices.DeleteFunc(sv.IPv4, func(ip ipv4Addr) bool {
		if slices.Contains(in.IP, ip.Addr.String()) {
			delete(s.blocks[ip.BlockID].Used, ip.Addr)
			return true
		}
		return false
	})
	sv.Updated = s.now()
	noContent(w, 204)
}
