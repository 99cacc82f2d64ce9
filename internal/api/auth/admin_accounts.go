package auth

import (
	"context"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// BlockSetter blocks and unblocks the identity provider's user (Auth0
// Management API PATCH /api/v2/users/{id} {"blocked": …}).
type BlockSetter interface {
	SetBlocked(ctx context.Context, subject string, blocked bool) error
}

// AdminAccounts is what the operator console does to an account through
// the identity provider and the account-erase path: block, reset the
// password and erase. Blocking and erasing end every session and API
// token of the user.
type AdminAccounts struct {
	D       Deps
	Blocker BlockSetter
}

// SetBlocked blocks or unblocks u in the identity provider and, when
// blocking, revokes its sessions and API tokens. A user the provider does
// not know (made elsewhere, or erased) is blocked in the panel alone.
func (a AdminAccounts) SetBlocked(ctx context.Context, u *panel.User, blocked bool) error {
	if a.Blocker == nil {
		return panel.Errorf(panel.EUNAVAILABLE, "The sign-in service's management API is not configured.")
	}
	me, err := a.D.managedUser(ctx, u.ID, u.Email)
	switch {
	case err == nil:
		if err := a.Blocker.SetBlocked(ctx, me.Subject, blocked); err != nil {
			return err
		}
	case panel.ErrorCode(err) != panel.ENOTFOUND:
		return err
	}
	if !blocked {
		return nil
	}
	return a.RevokeAccess(ctx, u.ID)
}

// RevokeAccess ends every session and API token of a user.
func (a AdminAccounts) RevokeAccess(ctx context.Context, userID string) error {
	if err := a.D.Sessions.DeleteUserSessions(ctx, userID); err != nil {
		return err
	}
	tokens, err := a.D.Tokens.UserAPITokens(ctx, userID)
	if err != nil {
		return err
	}
	for _, t := range tokens {
		if err := a.D.Tokens.RevokeAPIToken(ctx, userID, t.ID); err != nil && panel.ErrorCode(err) != panel.ENOTFOUND {
			return err
		}
	}
	return nil
}

// ResetPassword asks the provider to mail u a password-reset link
// (Auth0 POST /dbconnections/change_password).
func (a AdminAccounts) ResetPassword(ctx context.Context, u *panel.User) error {
	return a.D.IdP.ResetPassword(ctx, u.Email)
}

// Erase erases u through the customer's own account-erase path, on an
// administrator's behalf.
func (a AdminAccounts) Erase(ctx context.Context, u *panel.User, actor, ip string) error {
	return a.D.eraseAccount(ctx, u.ID, actor, ip)
}

// Sessions lists a user's unexpired sessions.
func (a AdminAccounts) Sessions(ctx context.Context, userID string) ([]*panel.Session, error) {
	return a.D.Sessions.UserSessions(ctx, userID)
}
