package app

import (
	"net/http"

	"github.com/vfpanel/vfpanel/internal/api/tickets"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/gemini"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// Support builds the support function: customers' tickets, the staff help
// desk and AI-drafted replies (Gemini, when its API key is set).
func Support(d *Deps) (http.Handler, error) {
	deps := tickets.Deps{
		Tickets:  dynamo.NewTickets(d.Store),
		Limiter:  dynamo.NewRateLimiter(d.Store),
		Audit:    dynamo.NewAuditLog(d.Store),
		Users:    dynamo.NewUsers(d.Store),
		Billing:  dynamo.NewLedger(d.Store),
		Currency: d.Config.Currency,
	}
	if d.Config.VirtFusionURL != "" {
		vf, err := VirtFusion(d)
		if err != nil {
			return nil, err
		}
		deps.LiveServers = virtfusion.Host{C: vf}.UserServers
	}
	if d.Config.GeminiAPIKey != "" {
		deps.Drafter = gemini.New(gemini.Config{BaseURL: d.Config.GeminiAPIURL, APIKey: d.Config.GeminiAPIKey,
			Model: d.Config.GeminiModel})
	}
	return mountSignedIn(d, "support", tickets.Handlers(deps))
}
