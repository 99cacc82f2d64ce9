package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// link returns the user for id, creating it and its VirtFusion account on
// first sign-in. Concurrent first sign-ins race on a conditional write in
// DynamoDB: the winner creates the VirtFusion user, the others wait for the
// mapping. A claim left by a crashed winner goes stale and is taken over;
// VirtFusion is asked by extRelationId first, so a retry never duplicates.
func link(ctx context.Context, d *Deps, uid string, id *panel.Identity) (*panel.User, error) {
	u, err := d.Users.User(ctx, uid)
	if err == nil && u.Linked() {
		return u, nil
	}
	if err != nil && panel.ErrorCode(err) != panel.ENOTFOUND {
		return nil, err
	}
	name := id.Name
	if name == "" || name == id.Email {
		name = nameFromEmail(id.Email)
	}
	want := &panel.User{ID: uid, Email: id.Email, Name: name, Role: d.roleFor(id), CreatedAt: d.Now().UTC()}
	deadline := time.Now().Add(linkWait)
	for attempt := 1; ; attempt++ {
		token := randomToken(16)
		stored, claimed, err := d.Users.ClaimLink(ctx, want, token, d.Now(), linkClaimStale)
		if err != nil {
			return nil, err
		}
		if stored.Linked() {
			return stored, nil
		}
		if claimed {
			if d.VirtFusion == nil {
				_ = d.Users.ReleaseLink(ctx, uid, token)
				return nil, errors.New("auth: no VirtFusion client to link users")
			}
			vfID, err := d.VirtFusion.EnsureUser(ctx, uid, stored.Email, stored.Name)
			if err != nil {
				_ = d.Users.ReleaseLink(context.WithoutCancel(ctx), uid, token)
				return nil, fmt.Errorf("auth: link user %s to virtfusion: %w", uid, err)
			}
			httpx.Logger(ctx).Info("linked user to virtfusion", "userId", uid, "vfUserId", vfID)
			return d.Users.CompleteLink(ctx, uid, token, vfID)
		}
		if time.Now().After(deadline) {
			return nil, &panel.Error{Code: panel.EUNAVAILABLE, RetryAfter: 5,
				Message: "Your account is still being set up. Try again in a moment."}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(min(attempt, 5)) * 50 * time.Millisecond):
		}
	}
}

func nameFromEmail(email string) string {
	for i := 0; i < len(email); i++ {
		if email[i] == '@' {
			return email[:i]
		}
	}
	return email
}
