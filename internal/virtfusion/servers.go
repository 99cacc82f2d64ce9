package virtfusion

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
)

// Page is one page of a Laravel length-aware paginator, which VirtFusion
// sends at the top level (no "meta" wrapper).
type Page[T any] struct {
	CurrentPage FlexInt    `json:"current_page"`
	Data        []T        `json:"data"`
	From        FlexInt    `json:"from"`
	LastPage    FlexInt    `json:"last_page"`
	NextPageURL FlexString `json:"next_page_url"`
	PerPage     FlexInt    `json:"per_page"`
	To          FlexInt    `json:"to"`
	Total       FlexInt    `json:"total"`
}

// HasNext reports whether a later page exists.
func (p *Page[T]) HasNext() bool {
	return int64(p.CurrentPage) < int64(p.LastPage) && len(p.Data) > 0
}

// maxPages stops a runaway iteration if a panel keeps reporting more pages.
const maxPages = 10000

// allPages fetches every page of a paginated endpoint.
func allPages[T any](ctx context.Context, c *Client, r request, results int) ([]T, error) {
	var all []T
	for page := 1; page <= maxPages; page++ {
		p, err := onePage[T](ctx, c, r, page, results)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Data...)
		if !p.HasNext() {
			return all, nil
		}
	}
	return nil, errDecode(http.StatusOK, fmt.Errorf("more than %d pages", maxPages))
}

func onePage[T any](ctx context.Context, c *Client, r request, page, results int) (*Page[T], error) {
	q := cloneQuery(r.query)
	q.Set("page", strconv.Itoa(max(page, 1)))
	if results > 0 {
		q.Set("results", strconv.Itoa(min(results, 200)))
	}
	r.query = q
	var p Page[T]
	if _, err := c.do(ctx, r, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// ListServersOptions filters GET /servers.
type ListServersOptions struct {
	Page          int     // 1-based; 0 means 1
	Results       int     // page size 1–200; 0 means the API default (20); AllServers uses 200
	Full          bool    // type=full: full server objects instead of the simple item
	HypervisorIDs []int64 // only servers on these hypervisors
}

func (o ListServersOptions) request() request {
	q := make(map[string][]string)
	if o.Full {
		q["type"] = []string{"full"}
	}
	for _, id := range o.HypervisorIDs {
		q["hypervisorId[]"] = append(q["hypervisorId[]"], pathID(id))
	}
	return request{method: http.MethodGet, path: "/servers", query: q}
}

// ListServers returns one page of all servers on the panel (admin view).
func (c *Client) ListServers(ctx context.Context, opts ListServersOptions) (*Page[Server], error) {
	p, err := onePage[Server](ctx, c, opts.request(), opts.Page, opts.Results)
	if err != nil {
		return nil, fmt.Errorf("virtfusion: list servers page %d: %w", max(opts.Page, 1), err)
	}
	return p, nil
}

// AllServers walks every page of GET /servers (opts.Page is ignored).
func (c *Client) AllServers(ctx context.Context, opts ListServersOptions) ([]Server, error) {
	results := opts.Results
	if results == 0 {
		results = 200
	}
	all, err := allPages[Server](ctx, c, opts.request(), results)
	if err != nil {
		return nil, fmt.Errorf("virtfusion: list all servers: %w", err)
	}
	return all, nil
}

// ListUserServers returns the servers owned by a VirtFusion user id (not
// paginated; no remote state).
func (c *Client) ListUserServers(ctx context.Context, vfUserID int64) ([]Server, error) {
	s, err := getData[FlexList[Server]](ctx, c, request{method: http.MethodGet, path: "/servers/user/" + pathID(vfUserID)})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: list servers of user %d: %w", vfUserID, err)
	}
	return s, nil
}

// GetServer returns one server. remoteState asks the hypervisor for live
// power state and usage, which is slow: request it only when it is shown.
func (c *Client) GetServer(ctx context.Context, id int64, remoteState bool) (*Server, error) {
	q := map[string][]string{"remoteState": {strconv.FormatBool(remoteState)}}
	s, err := getData[Server](ctx, c, request{method: http.MethodGet, path: "/servers/" + pathID(id), query: q})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: get server %d: %w", id, err)
	}
	c.resolveOS(ctx, &s)
	return &s, nil
}

// resolveOS names the server's OS from its template id when the object
// carries "os": null (as the spec's examples do). Best effort: a failure
// leaves the name empty.
func (c *Client) resolveOS(ctx context.Context, s *Server) {
	if s.OSTemplateID <= 0 || (s.OSTemplateName != "" && s.OSTemplateType != "") {
		return
	}
	t, err := c.OSTemplate(ctx, s.OSTemplateID)
	if err != nil {
		c.log.DebugContext(ctx, "virtfusion: os template not resolved", "server", s.ID, "template", s.OSTemplateID, "err", err)
		return
	}
	if s.OSTemplateName == "" {
		s.OSTemplateName = t.Label()
	}
	s.OSTemplateType = string(t.Type)
}

// CreateServerRequest is the body of POST /servers. HypervisorGroupID is
// sent as "hypervisorId", which despite its name is a hypervisor group.
// Zero optional fields take the package's values.
type CreateServerRequest struct {
	PackageID             int64   `json:"packageId"`
	UserID                int64   `json:"userId"` // VirtFusion user id
	HypervisorGroupID     int64   `json:"hypervisorId"`
	IPv4                  int     `json:"ipv4,omitempty"`
	StorageGB             int     `json:"storage,omitempty"`
	TrafficGB             *int    `json:"traffic,omitempty"` // 0 = unmetered, so a pointer
	MemoryMB              int     `json:"memory,omitempty"`
	CPUCores              int     `json:"cpuCores,omitempty"`
	NetworkSpeedInbound   int     `json:"networkSpeedInbound,omitempty"`
	NetworkSpeedOutbound  int     `json:"networkSpeedOutbound,omitempty"`
	StorageProfile        int     `json:"storageProfile,omitempty"`
	NetworkProfile        int     `json:"networkProfile,omitempty"`
	FirewallRulesets      []int64 `json:"firewallRulesets,omitempty"`
	HypervisorAssetGroups []int64 `json:"hypervisorAssetGroups,omitempty"`
}

// CreateServer allocates a server (state "allocated", not yet built). With
// dryRun VirtFusion only validates the request. Never retried.
func (c *Client) CreateServer(ctx context.Context, req CreateServerRequest, dryRun bool) (*Server, error) {
	r := request{method: http.MethodPost, path: "/servers", body: req}
	if dryRun {
		r.query = map[string][]string{"dryRun": {"true"}}
	}
	s, err := getData[Server](ctx, c, r)
	if err != nil {
		return nil, fmt.Errorf("virtfusion: create server for user %d: %w", req.UserID, err)
	}
	return &s, nil
}

// BuildServerRequest is the body of POST /servers/{id}/build.
type BuildServerRequest struct {
	OperatingSystemID int64   `json:"operatingSystemId"` // template id
	Name              string  `json:"name,omitempty"`
	Hostname          string  `json:"hostname,omitempty"`
	SSHKeys           []int64 `json:"sshKeys,omitempty"`
	VNC               *bool   `json:"vnc,omitempty"`
	IPv6              *bool   `json:"ipv6,omitempty"`
	Email             bool    `json:"email"`
	Swap              float64 `json:"swap,omitempty"`
}

// BuildServer installs (or reinstalls) the OS. It returns at once with state
// "queued"; Server.DecryptedPassword holds the new root password, which is
// never shown again. Never retried.
func (c *Client) BuildServer(ctx context.Context, id int64, req BuildServerRequest) (*Server, error) {
	s, err := getData[Server](ctx, c, request{method: http.MethodPost, path: "/servers/" + pathID(id) + "/build", body: req})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: build server %d: %w", id, err)
	}
	return &s, nil
}

// DeleteServer deletes a server after delayMinutes (0 = now; VirtFusion's
// own default without the parameter is about 5 minutes).
func (c *Client) DeleteServer(ctx context.Context, id int64, delayMinutes int) error {
	q := map[string][]string{"delay": {strconv.Itoa(max(delayMinutes, 0))}}
	if _, err := c.do(ctx, request{method: http.MethodDelete, path: "/servers/" + pathID(id), query: q}, nil); err != nil {
		return fmt.Errorf("virtfusion: delete server %d: %w", id, err)
	}
	return nil
}

// Suspend suspends a server. 423 (busy) maps to server_busy.
func (c *Client) Suspend(ctx context.Context, id int64) error {
	if _, err := c.do(ctx, request{method: http.MethodPost, path: "/servers/" + pathID(id) + "/suspend"}, nil); err != nil {
		return fmt.Errorf("virtfusion: suspend server %d: %w", id, err)
	}
	return nil
}

// Unsuspend lifts a suspension.
func (c *Client) Unsuspend(ctx context.Context, id int64) error {
	if _, err := c.do(ctx, request{method: http.MethodPost, path: "/servers/" + pathID(id) + "/unsuspend"}, nil); err != nil {
		return fmt.Errorf("virtfusion: unsuspend server %d: %w", id, err)
	}
	return nil
}

// Rename sets a server's display name (PUT /servers/{id}/modify/name).
func (c *Client) Rename(ctx context.Context, id int64, name string) error {
	body := map[string]string{"name": name}
	if _, err := c.do(ctx, request{method: http.MethodPut, path: "/servers/" + pathID(id) + "/modify/name", body: body}, nil); err != nil {
		return fmt.Errorf("virtfusion: rename server %d: %w", id, err)
	}
	return nil
}

// ChangePackageOptions chooses what a package change re-applies; nil fields
// are left to VirtFusion's defaults.
type ChangePackageOptions struct {
	BackupPlan                  *bool `json:"backupPlan,omitempty"`
	CPU                         *bool `json:"cpu,omitempty"`
	Memory                      *bool `json:"memory,omitempty"`
	PrimaryDiskReadIOPS         *bool `json:"primaryDiskReadIOPS,omitempty"`
	PrimaryDiskReadThroughput   *bool `json:"primaryDiskReadThroughput,omitempty"`
	PrimaryDiskSize             *bool `json:"primaryDiskSize,omitempty"`
	PrimaryDiskWriteIOPS        *bool `json:"primaryDiskWriteIOPS,omitempty"`
	PrimaryDiskWriteThroughput  *bool `json:"primaryDiskWriteThroughput,omitempty"`
	PrimaryNetworkInboundSpeed  *bool `json:"primaryNetworkInboundSpeed,omitempty"`
	PrimaryNetworkOutboundSpeed *bool `json:"primaryNetworkOutboundSpeed,omitempty"`
	PrimaryNetworkTraffic       *bool `json:"primaryNetworkTraffic,omitempty"`
}

// ChangePackage moves a server to another package and returns VirtFusion's
// informational notes ({"info":[…]}, not enveloped).
func (c *Client) ChangePackage(ctx context.Context, id, packageID int64, opts ChangePackageOptions) ([]string, error) {
	var out struct {
		Info FlexList[FlexString] `json:"info"`
	}
	r := request{method: http.MethodPut, path: "/servers/" + pathID(id) + "/package/" + pathID(packageID), body: opts}
	if _, err := c.do(ctx, r, &out); err != nil {
		return nil, fmt.Errorf("virtfusion: change package of server %d to %d: %w", id, packageID, err)
	}
	info := make([]string, len(out.Info))
	for i, s := range out.Info {
		info[i] = string(s)
	}
	return info, nil
}

// Power actions for Client.Power.
const (
	PowerBoot     = "boot"
	PowerShutdown = "shutdown" // graceful (ACPI)
	PowerRestart  = "restart"
	PowerOff      = "poweroff" // hard stop
)

// Power queues a power action and returns its queue id (follow it with
// Queue). Never retried: a repeated restart is not harmless.
func (c *Client) Power(ctx context.Context, id int64, action string) (int64, error) {
	switch action {
	case PowerBoot, PowerShutdown, PowerRestart, PowerOff:
	default:
		return 0, fmt.Errorf("virtfusion: power server %d: unknown action %q", id, action)
	}
	d, err := getData[struct {
		QueueID FlexInt `json:"queueId"`
	}](ctx, c, request{method: http.MethodPost, path: "/servers/" + pathID(id) + "/power/" + action})
	if err != nil {
		return 0, fmt.Errorf("virtfusion: %s server %d: %w", action, id, err)
	}
	return int64(d.QueueID), nil
}

// ServerPasswordReset is the result of a root/Administrator password reset.
type ServerPasswordReset struct {
	QueueID          FlexInt    `json:"queueId"`
	ExpectedPassword FlexString `json:"expectedPassword"`
}

// ResetServerPassword resets the OS password of user ("root" or
// "Administrator") through the qemu guest agent, without emailing it.
func (c *Client) ResetServerPassword(ctx context.Context, id int64, user string) (*ServerPasswordReset, error) {
	body := map[string]any{"user": user, "sendMail": false}
	p, err := getData[ServerPasswordReset](ctx, c, request{method: http.MethodPost, path: "/servers/" + pathID(id) + "/resetPassword", body: body})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: reset %s password of server %d: %w", user, id, err)
	}
	return &p, nil
}

// TrafficMonth is one accounting period of traffic usage.
type TrafficMonth struct {
	Month   FlexInt  `json:"month"` // period index
	Start   FlexTime `json:"start"`
	End     FlexTime `json:"end"`
	RX      FlexInt  `json:"rx"`    // bytes
	TX      FlexInt  `json:"tx"`    // bytes
	Total   FlexInt  `json:"total"` // bytes
	LimitGB FlexInt  `json:"limit"` // 0 = unmetered
	Blocks  FlexList[struct {
		ID      FlexInt `json:"id"`
		Traffic FlexInt `json:"traffic"` // GB
	}] `json:"blocks"`
}

// Traffic returns a server's monthly traffic, newest period first.
func (c *Client) Traffic(ctx context.Context, id int64) ([]TrafficMonth, error) {
	d, err := getData[struct {
		Monthly FlexList[TrafficMonth] `json:"monthly"`
	}](ctx, c, request{method: http.MethodGet, path: "/servers/" + pathID(id) + "/traffic"})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: traffic of server %d: %w", id, err)
	}
	return d.Monthly, nil
}

// VNC returns a server's VNC details, including the websocket token.
func (c *Client) VNC(ctx context.Context, id int64) (*VNC, error) {
	d, err := getData[struct {
		VNC vncJSON `json:"vnc"`
	}](ctx, c, request{method: http.MethodGet, path: "/servers/" + pathID(id) + "/vnc"})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: vnc of server %d: %w", id, err)
	}
	v := d.VNC.vnc()
	return &v, nil
}

// EnableVNC turns the VNC console on and returns its details.
func (c *Client) EnableVNC(ctx context.Context, id int64) (*VNC, error) {
	return c.setVNC(ctx, id, "enable")
}

// DisableVNC turns the VNC console off.
func (c *Client) DisableVNC(ctx context.Context, id int64) (*VNC, error) {
	return c.setVNC(ctx, id, "disable")
}

func (c *Client) setVNC(ctx context.Context, id int64, action string) (*VNC, error) {
	// The docs name the key "action"; one v7 client says "vnc". Only the
	// documented one is sent.
	body := map[string]string{"action": action}
	d, err := getData[struct {
		VNC     vncJSON `json:"vnc"`
		QueueID FlexInt `json:"queueId"`
	}](ctx, c, request{method: http.MethodPost, path: "/servers/" + pathID(id) + "/vnc", body: body})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: %s vnc of server %d: %w", action, id, err)
	}
	v := d.VNC.vnc()
	return &v, nil
}

// ServerTemplates returns the OS templates a server may install.
func (c *Client) ServerTemplates(ctx context.Context, id int64) ([]TemplateGroup, error) {
	g, err := getData[FlexList[TemplateGroup]](ctx, c, request{method: http.MethodGet, path: "/servers/" + pathID(id) + "/templates"})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: templates of server %d: %w", id, err)
	}
	return g, nil
}

// Backup is one backup of a server.
type Backup struct {
	ID       FlexInt `json:"id"`
	ServerID FlexInt `json:"serverId"`
	Storage  struct {
		ID      FlexInt    `json:"id"`
		Name    FlexString `json:"name"`
		Enabled FlexBool   `json:"enabled"`
	} `json:"storage"`
	Deleting    FlexBool `json:"deleting"`
	Restoring   FlexBool `json:"restoring"`
	Progress    FlexBool `json:"progress"` // in progress
	Complete    FlexBool `json:"complete"`
	DeleteAfter FlexTime `json:"deleteAfter"`
	Created     FlexTime `json:"created"`
	Updated     FlexTime `json:"updated"`
}

// Backups returns a server's backups.
func (c *Client) Backups(ctx context.Context, id int64) ([]Backup, error) {
	b, err := getData[FlexList[Backup]](ctx, c, request{method: http.MethodGet, path: "/backups/server/" + pathID(id)})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: backups of server %d: %w", id, err)
	}
	return b, nil
}

// SetBackupPlan sets a server's backup plan; planID 0 removes it.
func (c *Client) SetBackupPlan(ctx context.Context, id, planID int64) error {
	r := request{method: http.MethodPut, path: "/servers/" + pathID(id) + "/backups/plan/" + pathID(planID)}
	if _, err := c.do(ctx, r, nil); err != nil {
		return fmt.Errorf("virtfusion: set backup plan %d of server %d: %w", planID, id, err)
	}
	return nil
}

// QueueItem is a queued VirtFusion job (GET /queue/{id}).
type QueueItem struct {
	ID           FlexInt    `json:"id"`
	JobID        FlexString `json:"jobId"`
	Job          FlexString `json:"job"`
	HypervisorID FlexInt    `json:"hypervisorId"`
	ServerID     FlexInt    `json:"serverId"`
	Action       FlexString `json:"action"`
	Queue        FlexString `json:"queue"`
	Started      FlexTime   `json:"started"`
	Updated      FlexTime   `json:"updated"`
	Finished     FlexTime   `json:"finished"` // zero until done
	Failed       FlexBool   `json:"failed"`
	Progress     FlexInt    `json:"progress"` // 0–100
}

// Done reports whether the job has finished (successfully or not).
func (q *QueueItem) Done() bool { return !q.Finished.IsZero() }

// Succeeded reports whether the job finished without failing.
func (q *QueueItem) Succeeded() bool { return q.Done() && !bool(q.Failed) }

// Queue returns a queued job, e.g. one started by Power.
func (c *Client) Queue(ctx context.Context, queueID int64) (*QueueItem, error) {
	q, err := getData[QueueItem](ctx, c, request{method: http.MethodGet, path: "/queue/" + pathID(queueID)})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: queue item %d: %w", queueID, err)
	}
	return &q, nil
}

// Connect checks the URL and token (GET /connect; any 2xx is success).
func (c *Client) Connect(ctx context.Context) error {
	if _, err := c.do(ctx, request{method: http.MethodGet, path: "/connect"}, nil); err != nil {
		return fmt.Errorf("virtfusion: connect: %w", err)
	}
	return nil
}

// ChangeOwner moves a server to another VirtFusion user id.
func (c *Client) ChangeOwner(ctx context.Context, id, vfUserID int64) error {
	r := request{method: http.MethodPut, path: "/servers/" + pathID(id) + "/owner/" + pathID(vfUserID)}
	if _, err := c.do(ctx, r, nil); err != nil {
		return fmt.Errorf("virtfusion: change owner of server %d to %d: %w", id, vfUserID, err)
	}
	return nil
}

// AddIPv4 assigns quantity more IPv4 addresses to a server's primary
// interface and returns the new addresses.
func (c *Client) AddIPv4(ctx context.Context, id int64, quantity int) ([]string, error) {
	body := struct {
		Interface string `json:"interface"`
		Quantity  int    `json:"quantity"`
	}{"primary", quantity}
	d, err := getData[FlexList[FlexString]](ctx, c, request{method: http.MethodPost, path: "/servers/" + pathID(id) + "/ipv4Qty", body: body})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: add %d IPv4 to server %d: %w", quantity, id, err)
	}
	out := make([]string, len(d))
	for i, s := range d {
		out[i] = string(s)
	}
	return out, nil
}

// RemoveIPv4 takes IPv4 addresses off a server (a JSON body on a DELETE).
func (c *Client) RemoveIPv4(ctx context.Context, id int64, ips []string) error {
	body := struct {
		IP []string `json:"ip"`
	}{ips}
	if _, err := c.do(ctx, request{method: http.MethodDelete, path: "/servers/" + pathID(id) + "/ipv4", body: body}, nil); err != nil {
		return fmt.Errorf("virtfusion: remove IPv4 %v from server %d: %w", ips, id, err)
	}
	return nil
}
