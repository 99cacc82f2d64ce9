package auth

import (
	"context"
	"net/http"
	"time"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Email verification: the UI's banner resends Auth0's verification email
// and, once the customer opened its link, asks us to check again. Top-ups
// and orders need a verified email (panel.RequireVerifiedEmail).

// resendLimit bounds verification emails per user.
const (
	resendLimit  = 3
	resendWindow = time.Hour
)

// VerificationSent is the answer to POST /api/account/email-verification.
type VerificationSent struct {
	Message string `json:"message"`
}

// EmailVerification is the answer to POST /api/account/email-verification/check.
type EmailVerification struct {
	EmailVerified bool `json:"emailVerified"`
}

// managedSelf finds the caller in the provider's management API: the
// user with the caller's email whose subject maps to the caller's id.
func (h *handlers) managedSelf(r *http.Request) (*panel.ManagedUser, error) {
	p := panel.PrincipalFrom(r.Context())
	return h.d.managedUser(r.Context(), p.UserID, p.Email)
}

// managedUser finds a panel user in the provider's management API: the
// user with that email whose subject maps to the user's id.
func (d *Deps) managedUser(ctx context.Context, userID, email string) (*panel.ManagedUser, error) {
	list, err := d.Accounts.UsersByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if UserID(list[i].Subject) == userID {
			return &list[i], nil
		}
	}
	return nil, panel.NotFound("account")
}

func (h *handlers) resendVerification(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := panel.PrincipalFrom(ctx)
	if p.EmailVerified {
		return panel.Errorf(panel.ECONFLICT, "Your email address is already verified.")
	}
	if err := h.d.Limiter.Allow(ctx, "verify:resend:"+p.UserID, resendLimit, resendWindow); err != nil {
		return err
	}
	me, err := h.managedSelf(r)
	if err != nil {
		return err
	}
	if me.EmailVerified {
		return h.markVerified(w, r)
	}
	if err := h.d.Accounts.SendVerificationEmail(ctx, me.Subject); err != nil {
		return err
	}
	httpx.Logger(ctx).Info("verification email sent", "event", "auth.verification_resent", "userId", p.UserID)
	return httpx.Encode(w, http.StatusAccepted, VerificationSent{Message: "We sent a new verification link to " + p.Email + "."})
}

func (h *handlers) checkVerification(w http.ResponseWriter, r *http.Request) error {
	p := panel.PrincipalFrom(r.Context())
	if p.EmailVerified {
		return httpx.Encode(w, http.StatusOK, EmailVerification{EmailVerified: true})
	}
	if err := h.d.Limiter.Allow(r.Context(), "verify:check:"+p.UserID, 30, resendWindow); err != nil {
		return err
	}
	me, err := h.managedSelf(r)
	if err != nil {
		return err
	}
	if !me.EmailVerified {
		return httpx.Encode(w, http.StatusOK, EmailVerification{EmailVerified: false})
	}
	return h.markVerified(w, r)
}

// markVerified records a verified email on the user and their sessions.
func (h *handlers) markVerified(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := panel.PrincipalFrom(ctx)
	if _, err := h.d.Users.SetEmailVerified(ctx, p.UserID, true); err != nil {
		return err
	}
	if err := h.d.Sessions.SetSessionsEmailVerified(ctx, p.UserID, true); err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, EmailVerification{EmailVerified: true})
}
