package panel

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Provisioning states of a server.
const (
	ProvisionAllocated = "allocated" // created in VirtFusion, no OS yet
	ProvisionBuilding  = "building"  // OS install queued or running
	ProvisionComplete  = "complete"
	ProvisionFailed    = "failed"
)

// Power states of a server.
const (
	PowerRunning = "running"
	PowerStopped = "stopped"
	PowerUnknown = "unknown" // live state unavailable (hypervisor slow or down)
)

// Server is what a customer sees of one of their servers (the contract's
// ServerSummary). Package is nil when the panel cannot tell which package
// the server was built from.
type Server struct {
	ID           int64           `json:"id"`
	UUID         string          `json:"uuid"`
	Name         string          `json:"name"`
	Hostname     string          `json:"hostname"`
	Provisioning string          `json:"provisioning" enum:"allocated,building,complete,failed"`
	Power        string          `json:"power" enum:"running,stopped,unknown"`
	Suspended    bool            `json:"suspended"`
	IPv4         []string        `json:"ipv4"` // public addresses, the primary one first
	IPv6         []string        `json:"ipv6"`
	PrivateIPv4  []string        `json:"privateIpv4,omitempty"` // on private networks (secondary interfaces)
	OS           ServerOS        `json:"os"`
	Location     *ServerLocation `json:"location"`
	Package      *ServerPackage  `json:"package"`
	Resources    ServerResources `json:"resources"`
	CreatedAt    time.Time       `json:"createdAt,omitzero"` // omitted when VirtFusion did not say
	OwnerVFID    int64           `json:"-"`                  // VirtFusion owner id: ownership checks only
	Stale        bool            `json:"stale,omitempty"`    // live data unavailable; shown from the last snapshot
}

// ServerOS is the installed operating system.
type ServerOS struct {
	Name string `json:"name"`
	Icon string `json:"icon"`
}

// ServerLocation is where a server runs (a VirtFusion hypervisor group).
type ServerLocation struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// ServerPackage names the plan a server was built from.
type ServerPackage struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// ServerResources are a server's allocation. TrafficGB 0 means unmetered.
type ServerResources struct {
	CPUCores  int64 `json:"cpuCores"`
	MemoryMB  int64 `json:"memoryMb"`
	StorageGB int64 `json:"storageGb"`
	TrafficGB int64 `json:"trafficGb"`
}

// ServerDetailExt is what GET /api/servers/{id} adds to a Server.
type ServerDetailExt struct {
	Traffic    ServerTraffic `json:"traffic"`
	Build      ServerBuild   `json:"build"`
	VNCEnabled bool          `json:"vncEnabled"`
}

// ServerDetail is a Server with its detail fields, flattened in JSON.
type ServerDetail struct {
	Server
	ServerDetailExt
}

// ServerTraffic is the current period's usage. UsedBytes is nil when the
// usage could not be read.
type ServerTraffic struct {
	UsedBytes   *int64    `json:"usedBytes"`
	LimitGB     int64     `json:"limitGb"`
	PeriodStart time.Time `json:"periodStart"`
	PeriodEnd   time.Time `json:"periodEnd"`
}

// ServerBuild is the state of the OS installation.
type ServerBuild struct {
	State    string `json:"state"`    // allocated, queued, complete, failed
	Progress int    `json:"progress"` // 0–100
}

// Task states.
const (
	TaskPending = "pending"
	TaskRunning = "running"
	TaskDone    = "done"
	TaskFailed  = "failed"
)

// Task is a queued VirtFusion action the UI can follow.
type Task struct {
	ID         string     `json:"id"`
	Action     string     `json:"action"`
	Status     string     `json:"status" enum:"pending,running,done,failed"`
	Progress   int        `json:"progress"`
	StartedAt  *time.Time `json:"startedAt"`
	FinishedAt *time.Time `json:"finishedAt"`
}

// TemplateGroup is a family of OS templates (Debian, Ubuntu, …).
type TemplateGroup struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Icon      string     `json:"icon"`
	Templates []Template `json:"templates"`
}

// Template is one installable OS.
type Template struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Version string `json:"version"`
	Variant string `json:"variant"`
	Type    string `json:"type"`
	EOL     bool   `json:"eol"`
}

// TrafficPeriod is one accounting period of a server's traffic.
type TrafficPeriod struct {
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	RxBytes    int64     `json:"rxBytes"`
	TxBytes    int64     `json:"txBytes"`
	TotalBytes int64     `json:"totalBytes"`
	LimitGB    int64     `json:"limitGb"`
}

// Metrics is a live sample of a server's usage, in bytes and percent.
type Metrics struct {
	SampledAt  time.Time   `json:"sampledAt"`
	Running    bool        `json:"running"`
	CPUPercent float64     `json:"cpuPercent"`
	Memory     MemoryUsage `json:"memory"`
	Disk       DiskUsage   `json:"disk"`
}

// MemoryUsage is guest memory in bytes.
type MemoryUsage struct {
	UsedBytes  int64 `json:"usedBytes"`
	TotalBytes int64 `json:"totalBytes"`
}

// DiskUsage is guest disk space and I/O counters in bytes.
type DiskUsage struct {
	UsedBytes  int64 `json:"usedBytes"`
	TotalBytes int64 `json:"totalBytes"`
	ReadBytes  int64 `json:"readBytes"`
	WriteBytes int64 `json:"writeBytes"`
}

// Backup is one backup of a server.
type Backup struct {
	ID        int64     `json:"id"`
	CreatedAt time.Time `json:"createdAt"`
	Complete  bool      `json:"complete"`
	Progress  int       `json:"progress"`
	Storage   string    `json:"storage"`
}

// SSHKey is a customer's public key, stored in VirtFusion.
type SSHKey struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Type        string    `json:"type"` // ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, …
	Fingerprint string    `json:"fingerprint"`
	CreatedAt   time.Time `json:"createdAt"`
}

// Location is a place servers can be ordered in.
type Location struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Available   bool   `json:"available"`
	FreeServers int64  `json:"freeServers"`
}

// Package is an orderable plan. Price is nil while no price is set.
type Package struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	CPUCores    int64  `json:"cpuCores"`
	MemoryMB    int64  `json:"memoryMb"`
	StorageGB   int64  `json:"storageGb"`
	TrafficGB   int64  `json:"trafficGb"`
	Price       *Price `json:"price"`
}

// Price is what a package costs: per hour, capped per month, in minor units.
type Price struct {
	HourlyMinor     int64  `json:"hourlyMinor"`
	MonthlyCapMinor int64  `json:"monthlyCapMinor"`
	Currency        string `json:"currency"`
	// Hidden prices are kept but not offered: the package is not listed
	// for ordering (servers ordered before keep running and billing).
	Hidden bool `json:"hidden,omitempty"`
}

// PriceBook knows the price of each package. Billing implements it.
type PriceBook interface {
	// Prices returns the price of every priced package by VirtFusion
	// package id; unpriced packages are absent.
	Prices(ctx context.Context) (map[int64]Price, error)
}

// Kinds of ServerEvent, normalised from VirtFusion's webhook event names.
const (
	ServerEventCreated     = "created"      // server.create: allocated, not built
	ServerEventBuilt       = "built"        // server.build succeeded
	ServerEventBuildFailed = "build_failed" // server.build with a failed status
	ServerEventSuspended   = "suspended"    // server.suspend
	ServerEventUnsuspended = "unsuspended"  // server.unsuspend
	ServerEventDeleted     = "deleted"      // server.delete
	ServerEventPower       = "power"        // server.boot, server.shutdown, …
	ServerEventOther       = "other"        // anything else, stored and acknowledged
)

// ServerEvent is something VirtFusion reported about a server through its
// webhook. ID is VirtFusion's delivery id (X-VirtFusion-Hook-Event), unique
// per event, so consumers can deduplicate on it.
type ServerEvent struct {
	ID         string    `json:"id"`
	Event      string    `json:"event"`  // VirtFusion's name, e.g. "server.build"
	Kind       string    `json:"kind"`   // ServerEvent* constant
	Status     string    `json:"status"` // eventStatus: success, fail, …
	ServerID   int64     `json:"serverId"`
	ServerName string    `json:"serverName"`
	VFUserID   int64     `json:"vfUserId"`
	UserID     string    `json:"userId"` // owner's extRelationId (our user id); "" if unknown
	At         time.Time `json:"at"`     // when VirtFusion says it happened
	ReceivedAt time.Time `json:"receivedAt"`
}

// ServerEventSink receives server events (billing implements it to start,
// pause and stop charging). It must be idempotent on ev.ID: an event is
// delivered again if a previous delivery failed.
type ServerEventSink interface {
	ServerEvent(ctx context.Context, ev ServerEvent) error
}

// ServerEventStore keeps webhook events, each once.
type ServerEventStore interface {
	// RecordServerEvent stores ev (and its raw body) under ev.ID. When the
	// ID is already stored it stores nothing and returns fresh=false and
	// whether that earlier copy was delivered to the sink.
	RecordServerEvent(ctx context.Context, ev ServerEvent, raw []byte) (fresh, delivered bool, err error)
	// MarkServerEventDelivered records that the sink accepted the event.
	MarkServerEventDelivered(ctx context.Context, id string) error
	// PendingServerEvents lists events not yet delivered, oldest first, so a
	// scheduled job can retry them.
	PendingServerEvents(ctx context.Context, limit int) ([]ServerEvent, error)
	// ServerEventsFor lists the stored events of one server, newest first.
	ServerEventsFor(ctx context.Context, serverID int64, limit int) ([]ServerEvent, error)
}

// ServerSnapshots keeps the last known view of each server, so the list can
// still show a server's name, location and OS while VirtFusion fails to
// answer for it. The webhook refreshes or drops entries.
type ServerSnapshots interface {
	// PutServerSnapshots stores the servers (last write wins).
	PutServerSnapshots(ctx context.Context, servers []*Server) error
	// ServerSnapshots returns the stored servers among ids; missing ones
	// are absent from the map.
	ServerSnapshots(ctx context.Context, ids []int64) (map[int64]*Server, error)
	// DeleteServerSnapshot forgets a server; forgetting a missing one is not an error.
	DeleteServerSnapshot(ctx context.Context, id int64) error
}

// ValidServerName reports a problem with a server's display name, or "".
// VirtFusion accepts any printable string up to 63 characters; we accept
// only what TextProblem does.
func ValidServerName(name string) string {
	n := utf8.RuneCountInString(name)
	switch {
	case strings.TrimSpace(name) == "":
		return "Enter a name."
	case n > 63:
		return "Use at most 63 characters."
	}
	return TextProblem(name)
}

// ValidHostname reports a problem with a hostname (RFC 1123, up to 253
// characters, labels up to 63), or "".
func ValidHostname(h string) string {
	if h == "" {
		return "Enter a hostname."
	}
	if len(h) > 253 {
		return "Use at most 253 characters."
	}
	for _, label := range strings.Split(strings.TrimSuffix(h, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return "Use letters, digits and hyphens, in dot-separated parts of up to 63 characters."
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return "Use letters, digits and hyphens, in dot-separated parts of up to 63 characters."
			}
		}
	}
	return ""
}
