package app

import (
	"github.com/vfpanel/vfpanel/internal/api/admin"
	"github.com/vfpanel/vfpanel/internal/api/auth"
	"github.com/vfpanel/vfpanel/internal/auth0"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// adminConsole builds the operator console's users, servers and audit
// routes on the admin function's dependencies.
func adminConsole(d *Deps, base admin.Deps) (httpx.Handlers, error) {
	ad, err := authDeps(d)
	if err != nil {
		return nil, err
	}
	blocker, _ := ad.IdP.(*auth0.Client)
	cd := admin.ConsoleDeps{Deps: base, Store: dynamo.NewUsers(d.Store),
		Accounts: auth.AdminAccounts{D: ad, Blocker: blocker}, Audit: dynamo.NewAuditLog(d.Store),
		Mail: dynamo.NewOutbox(d.Store), Transfers: dynamo.NewLedger(d.Store), Now: d.Store.Clock}
	if d.Config.VirtFusionURL != "" {
		vf, err := VirtFusion(d)
		if err != nil {
			return nil, err
		}
		cd.Servers = virtfusion.Admin{C: vf}
	}
	return admin.ConsoleHandlers(cd), nil
}
