package virtfusion

import (
	"context"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// UserLinker adapts the client to panel.VirtFusionUsers: the VirtFusion
// account behind each panel user.
type UserLinker struct {
	Client *Client
}

var _ panel.VirtFusionUsers = UserLinker{}

// EnsureUser finds the VirtFusion user by extRelationId (our user id, as a
// string) or creates it. A user made meanwhile with our id is reused; an
// email already used by another VirtFusion user is a conflict an operator
// must resolve.
func (l UserLinker) EnsureUser(ctx context.Context, extID, email, name string) (int64, error) {
	u, err := l.Client.GetUserByExtRelation(ctx, extID)
	if err == nil {
		return int64(u.ID), nil
	}
	if !IsNotFound(err) {
		return 0, err
	}
	u, err = l.Client.CreateUser(ctx, CreateUserRequest{Name: name, Email: email, RelStr: extID})
	if err == nil {
		return int64(u.ID), nil
	}
	if c := panel.ErrorCode(err); c == panel.ECONFLICT || c == panel.EINVALID {
		if u, gerr := l.Client.GetUserByExtRelation(ctx, extID); gerr == nil {
			return int64(u.ID), nil
		}
		return 0, &panel.Error{Code: panel.ECONFLICT, Err: err,
			Message: "A server-panel account already uses this email address. Contact support to have it linked."}
	}
	return 0, err
}

// RenameUser changes the VirtFusion user's name.
func (l UserLinker) RenameUser(ctx context.Context, extID, name string) error {
	_, err := l.Client.UpdateUserByExtRelation(ctx, extID, UpdateUserRequest{Name: &name})
	return err
}

// DeleteUser deletes the VirtFusion user extID; one already gone is not an
// error. VirtFusion refuses (409) while the user still has servers.
func (l UserLinker) DeleteUser(ctx context.Context, extID string) error {
	err := l.Client.DeleteUserByExtRelation(ctx, extID)
	if IsNotFound(err) {
		return nil
	}
	return err
}
