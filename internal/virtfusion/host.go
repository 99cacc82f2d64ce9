package virtfusion

import (
	"context"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Host adapts the client to panel.ServerHost (billing's orders, deletions
// and suspensions) and gives staff the summaries of any server. Ordered
// (optional) is billing's record of each server's package, which beats the
// guess from its resources.
type Host struct {
	C       *Client
	Ordered panel.OrderedPackages
}

var _ panel.ServerHost = Host{}

// CreateServer implements panel.ServerHost.
func (h Host) CreateServer(ctx context.Context, spec panel.ServerSpec, dryRun bool) (int64, error) {
	s, err := h.C.CreateServer(ctx, CreateServerRequest{PackageID: spec.PackageID, UserID: spec.VFUserID,
		HypervisorGroupID: spec.LocationID}, dryRun)
	if err != nil {
		return 0, err
	}
	return s.ID, nil
}

// BuildServer implements panel.ServerHost.
func (h Host) BuildServer(ctx context.Context, id int64, spec panel.ServerSpec) (*panel.Server, string, error) {
	s, err := h.C.BuildServer(ctx, id, BuildServerRequest{OperatingSystemID: spec.TemplateID, Name: spec.Name,
		Hostname: spec.Hostname, SSHKeys: spec.SSHKeyIDs})
	if err != nil {
		return nil, "", err
	}
	pkgs, _ := h.C.Packages(ctx)
	sum := Summarize(s, pkgs)
	SetOrderedPackage(sum, spec.PackageID, pkgs)
	if sum.Name == "" {
		sum.Name = spec.Name
	}
	if sum.Hostname == "" {
		sum.Hostname = spec.Hostname
	}
	return sum, s.DecryptedPassword, nil
}

// DeleteServer implements panel.ServerHost (at once; a missing server is fine).
func (h Host) DeleteServer(ctx context.Context, id int64) error {
	err := h.C.DeleteServer(ctx, id, 0)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// Suspend implements panel.ServerHost.
func (h Host) Suspend(ctx context.Context, id int64) error { return h.C.Suspend(ctx, id) }

// Unsuspend implements panel.ServerHost.
func (h Host) Unsuspend(ctx context.Context, id int64) error { return h.C.Unsuspend(ctx, id) }

// ServerName implements panel.ServerHost.
func (h Host) ServerName(ctx context.Context, id int64) (string, error) {
	s, err := h.C.GetServer(ctx, id, false)
	if err != nil {
		return "", err
	}
	return s.Name, nil
}

// UserServerIDs implements panel.ServerHost.
func (h Host) UserServerIDs(ctx context.Context, vfUserID int64) ([]int64, error) {
	list, err := h.C.ListUserServers(ctx, vfUserID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, s := range list {
		ids[i] = s.ID
	}
	return ids, nil
}

// Server is the summary of any server (no live state), for staff.
func (h Host) Server(ctx context.Context, id int64) (*panel.Server, error) {
	s, err := h.C.GetServer(ctx, id, false)
	if err != nil {
		return nil, err
	}
	pkgs, _ := h.C.Packages(ctx)
	sum := Summarize(s, pkgs)
	SetOrderedPackage(sum, h.orderedPackages(ctx, []int64{id})[id], pkgs)
	return sum, nil
}

// UserServers lists a VirtFusion user's servers (one call, no live state)
// as summaries, each named by the package it was ordered with when billing
// recorded one.
func (h Host) UserServers(ctx context.Context, vfUserID int64) ([]*panel.Server, error) {
	list, err := h.C.ListUserServers(ctx, vfUserID)
	if err != nil {
		return nil, err
	}
	pkgs, _ := h.C.Packages(ctx)
	ids := make([]int64, len(list))
	for i := range list {
		ids[i] = list[i].ID
	}
	m := h.orderedPackages(ctx, ids)
	out := make([]*panel.Server, 0, len(list))
	for i := range list {
		s := Summarize(&list[i], pkgs)
		SetOrderedPackage(s, m[s.ID], pkgs)
		out = append(out, s)
	}
	return out, nil
}

// orderedPackages is billing's record for ids; without it (no store, or it
// fails) the guess from the resources stays.
func (h Host) orderedPackages(ctx context.Context, ids []int64) map[int64]int64 {
	if h.Ordered == nil {
		return nil
	}
	m, _ := h.Ordered.OrderedPackageIDs(ctx, ids)
	return m
}

// BuildState implements panel.ServerHost.
func (h Host) BuildState(ctx context.Context, id int64) (string, error) {
	s, err := h.C.GetServer(ctx, id, false)
	if err != nil {
		return "", err
	}
	return Provisioning(s), nil
}

// HasPackage implements panel.ServerHost.
func (h Host) HasPackage(ctx context.Context, id int64) (bool, error) {
	_, err := h.C.Package(ctx, id)
	if IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// Packages lists every VirtFusion package (enabled or not) as the panel
// sees it, without prices.
func (h Host) Packages(ctx context.Context) ([]panel.Package, error) {
	pkgs, err := h.C.Packages(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]panel.Package, 0, len(pkgs))
	for _, p := range pkgs {
		out = append(out, PanelPackage(p))
	}
	return out, nil
}
