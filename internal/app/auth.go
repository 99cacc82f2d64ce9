package app

import (
	"fmt"
	"net/http"

	"github.com/vfpanel/vfpanel/internal/api/auth"
	"github.com/vfpanel/vfpanel/internal/auth0"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// Auth builds the auth function: sign-up, sign-in (forms and Universal
// Login), sessions and profile.
func Auth(d *Deps) (http.Handler, error) {
	ad, err := authDeps(d)
	if err != nil {
		return nil, err
	}
	return d.Site.Mount("auth", withHandlers(auth.Handlers(ad), notificationHandlers(d, "auth")), auth.NewAuthenticator(ad))
}

// UserAuth is the authenticator every function with signed-in routes uses:
// session cookie (with CSRF) or an Auth0 Bearer token.
func UserAuth(d *Deps) (httpx.Authenticator, error) {
	ad, err := authDeps(d)
	if err != nil {
		return nil, err
	}
	return auth.NewAuthenticator(ad), nil
}

// authDeps builds the accounts dependencies once per Deps. The Auth0 client
// fetches the JWKS lazily, on the first Bearer token, so cold starts stay fast.
func authDeps(d *Deps) (auth.Deps, error) {
	return d.auth.get(func() (auth.Deps, error) {
		c := d.Config
		idp, err := auth0.New(auth0.Config{Issuer: c.Issuer(), ClientID: c.Auth0ClientID, ClientSecret: c.Auth0ClientSecret,
			Audience: c.Auth0Audience, Connection: c.Auth0Connection, RolesClaim: c.Auth0RolesClaim})
		if err != nil {
			return auth.Deps{}, fmt.Errorf("app: %w", err)
		}
		users, outbox := dynamo.NewUsers(d.Store), dynamo.NewOutbox(d.Store)
		users.Welcome = auth.WelcomeNotes
		ad := auth.Deps{Users: users, Sessions: dynamo.NewSessions(d.Store),
			Limiter: dynamo.NewRateLimiter(d.Store), IdP: idp, MFA: idp, Accounts: idp,
			Tokens: dynamo.NewAPITokens(d.Store), Audit: dynamo.NewAuditLog(d.Store), Notify: outbox,
			Records: dynamo.NewLedger(d.Store), Mail: outbox, Deleter: idp}.FromConfig(c)
		ad.ExistingAccount = auth.ExistingAccountMailer(users, outbox, d.Store.Clock)
		if c.VirtFusionURL != "" {
			vf, err := VirtFusion(d)
			if err != nil {
				return auth.Deps{}, err
			}
			ad.VirtFusion = virtfusion.UserLinker{Client: vf}
		}
		return ad, nil
	})
}
