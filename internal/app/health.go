package app

import (
	"github.com/vfpanel/vfpanel/internal/api/adminops"
	"net/http"

	"github.com/vfpanel/vfpanel/internal/api/health"
	"github.com/vfpanel/vfpanel/internal/api/status"
	"github.com/vfpanel/vfpanel/internal/auth0"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/paypal"
	"github.com/vfpanel/vfpanel/internal/smtpmail"
)

// Health builds the health function: the cheap and deep health checks.
func Health(d *Deps) (http.Handler, error) {
	hd, err := HealthDeps(d)
	if err != nil {
		return nil, err
	}
	return d.Site.Mount("health", httpx.Merge(health.Handlers(hd), status.PublicHandlers(StatusDeps(d, hd.Deep)),
		adminops.PublicHandlers(Settings(d))), nil)
}

// StatusDeps builds the status routes' dependencies; deep is the health
// function's checker (nil for the admin function, which only writes).
func StatusDeps(d *Deps, deep *health.Checker) status.Deps {
	sd := status.Deps{Store: dynamo.NewStatus(d.Store), Audit: dynamo.NewAuditLog(d.Store),
		StatusPageURL: d.Config.StatusPageURL, Now: d.Store.Clock}
	if deep != nil {
		sd.Checks = deep.Run
	}
	return sd
}

// HealthDeps builds the health checks from the configuration: each outside
// service that is configured gets a ping, the others read "unconfigured".
// The checker and its cache live on the returned value, one per handler.
func HealthDeps(d *Deps) (health.Deps, error) {
	c := d.Config
	checks := []health.Check{{Name: health.CheckDynamoDB, Ping: d.Store.Ping}}

	vf := health.Check{Name: health.CheckVirtFusion}
	if c.VirtFusionURL != "" && c.VirtFusionToken != "" {
		cl, err := VirtFusion(d)
		if err != nil {
			return health.Deps{}, err
		}
		vf.Ping = cl.Connect
	}
	pp := health.Check{Name: health.CheckPayPal}
	if c.PayPalClientID != "" && c.PayPalClientSecret != "" {
		// Its own client: a forced token refresh must not disturb billing's.
		pp.Ping = paypal.New(paypal.Config{BaseURL: c.PayPalAPIURL, ClientID: c.PayPalClientID,
			ClientSecret: c.PayPalClientSecret, WebhookID: c.PayPalWebhookID}).Ping
	}
	a0 := health.Check{Name: health.CheckAuth0}
	var admin httpx.Authenticator
	if c.Auth0Domain != "" && c.Auth0ClientID != "" && c.Auth0Audience != "" {
		cl, err := auth0.New(auth0.Config{Issuer: c.Issuer(), ClientID: c.Auth0ClientID, Audience: c.Auth0Audience,
			RolesClaim: c.Auth0RolesClaim})
		if err != nil {
			return health.Deps{}, err
		}
		a0.Ping = cl.Ping
		if admin, err = UserAuth(d); err != nil {
			return health.Deps{}, err
		}
	}
	mail := health.Check{Name: health.CheckSMTP}
	if c.SMTPHost != "" && c.MailFrom != "" {
		m, err := smtpmail.New(smtpmail.Settings{Host: c.SMTPHost, Port: c.SMTPPort, TLS: c.SMTPTLS,
			User: c.SMTPUser, Password: c.SMTPPassword, From: c.MailFrom})
		if err != nil {
			return health.Deps{}, err
		}
		mail.Ping = m.Ping
	}
	checks = append(checks, vf, pp, a0, mail)
	return health.Deps{Version: c.Version, DB: d.Store, Deep: &health.Checker{Checks: checks, Now: d.Store.Clock},
		Auth: admin, Key: c.HealthKey, Now: d.Store.Clock}, nil
}
