package virtfusion

import (
	"context"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Admin is VirtFusion for the operator console (panel.ServerAdmin).
type Admin struct{ C *Client }

var _ panel.ServerAdmin = Admin{}

// AllServers lists every server (GET /servers, all pages, simple items).
func (a Admin) AllServers(ctx context.Context) ([]panel.HostServer, error) {
	list, err := a.C.AllServers(ctx, ListServersOptions{})
	if err != nil {
		return nil, err
	}
	out := make([]panel.HostServer, len(list))
	for i, s := range list {
		out[i] = panel.HostServer{ID: s.ID, Name: s.Name, OwnerVFID: s.OwnerID, HypervisorID: s.HypervisorID,
			Suspended: s.Suspended, Commissioned: s.CommissionStatus == CommissionComplete, CreatedAt: s.Created}
	}
	return out, nil
}

// Power queues a power action (POST /servers/{id}/power/{action}).
func (a Admin) Power(ctx context.Context, id int64, action string) error {
	switch action {
	case PowerBoot, PowerShutdown, PowerRestart, PowerOff:
	default:
		return panel.Invalid(map[string]string{"action": "Use boot, shutdown, restart or poweroff."})
	}
	_, err := a.C.Power(ctx, id, action)
	return err
}

// Suspend is POST /servers/{id}/suspend.
func (a Admin) Suspend(ctx context.Context, id int64) error { return a.C.Suspend(ctx, id) }

// Unsuspend is POST /servers/{id}/unsuspend.
func (a Admin) Unsuspend(ctx context.Context, id int64) error { return a.C.Unsuspend(ctx, id) }

// DeleteServer deletes at once (DELETE /servers/{id}); gone already is done.
func (a Admin) DeleteServer(ctx context.Context, id int64) error {
	return Host{C: a.C}.DeleteServer(ctx, id)
}

// ChangeOwner is PUT /servers/{id}/owner/{newVfUserId} (201).
func (a Admin) ChangeOwner(ctx context.Context, id, vfUserID int64) error {
	return a.C.ChangeOwner(ctx, id, vfUserID)
}

// UserServerIDs lists a VirtFusion user's servers (GET /servers/user/{id});
// VirtFusion answers 404 for a user it does not have.
func (a Admin) UserServerIDs(ctx context.Context, vfUserID int64) ([]int64, error) {
	ids, err := Host{C: a.C}.UserServerIDs(ctx, vfUserID)
	if IsNotFound(err) {
		return nil, panel.NotFound("VirtFusion user")
	}
	return ids, err
}
