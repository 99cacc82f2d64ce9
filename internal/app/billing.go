package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/vfpanel/vfpanel/internal/api/admin"
	billingapi "github.com/vfpanel/vfpanel/internal/api/billing"
	"github.com/vfpanel/vfpanel/internal/api/servers"
	"github.com/vfpanel/vfpanel/internal/api/status"
	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/paypal"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// Billing builds the billing function: balance, ledger, statements and
// PayPal top-ups.
func Billing(d *Deps) (http.Handler, error) {
	svc, err := BillingService(d)
	if err != nil {
		return nil, err
	}
	return mountSignedIn(d, "billing", billingapi.WithCheckout(billingapi.Handlers(svc), d.Config))
}

// Admin builds the admin function.
func Admin(d *Deps) (http.Handler, error) {
	svc, err := BillingService(d)
	if err != nil {
		return nil, err
	}
	deps := admin.Deps{Billing: svc, Users: dynamo.NewUsers(d.Store)}
	if d.Config.VirtFusionURL != "" {
		vf, err := sharedVirtFusion(d)
		if err != nil {
			return nil, err
		}
		ordered := dynamo.NewLedger(d.Store)
		deps.Server = func(ctx context.Context, id int64) (*panel.Server, error) {
			s, err := vf.GetServer(ctx, id, false)
			if err != nil {
				return nil, err
			}
			pkgs, _ := vf.Packages(ctx)
			sum := servers.Summarize(s, pkgs)
			if m, err := ordered.OrderedPackageIDs(ctx, []int64{id}); err == nil {
				servers.SetOrderedPackage(sum, m[id], pkgs)
			}
			return sum, nil
		}
		deps.UserServers = func(ctx context.Context, vfUserID int64) ([]*panel.Server, error) {
			return vfUserServers(ctx, vf, ordered, vfUserID)
		}
	}
	return mountSignedIn(d, "admin", httpx.Merge(admin.Handlers(deps), status.AdminHandlers(StatusDeps(d, nil))))
}

// Webhooks builds the public webhooks function: VirtFusion's (servers,
// whose server events reach billing) and PayPal's (billing).
func Webhooks(d *Deps) (http.Handler, error) {
	svc, err := BillingService(d)
	if err != nil {
		return nil, err
	}
	sd, err := ServersDeps(d)
	if err != nil {
		return nil, err
	}
	sd.Sink = svc
	return httpx.Mount("webhooks", httpx.Merge(servers.WebhookHandlers(sd), billingapi.WebhookHandlers(svc)), nil)
}

var billingServices sync.Map // *Deps → *billing.Service

// BillingService returns the billing service of d (built once): the
// ledger store, PayPal when configured and VirtFusion when configured.
func BillingService(d *Deps) (*billing.Service, error) {
	return once(&billingServices, d, func() (*billing.Service, error) {
		var pay panel.Payments
		if d.Config.PayPalClientID != "" {
			pay = PayPal{C: paypal.New(paypal.Config{BaseURL: d.Config.PayPalAPIURL, ClientID: d.Config.PayPalClientID,
				ClientSecret: d.Config.PayPalClientSecret, WebhookID: d.Config.PayPalWebhookID,
				TrustedCertHosts: d.Config.PayPalCertHosts})}
		}
		var host panel.ServerHost
		if d.Config.VirtFusionURL != "" {
			vf, err := sharedVirtFusion(d)
			if err != nil {
				return nil, fmt.Errorf("app: billing: %w", err)
			}
			host = VirtFusionHost{C: vf}
		}
		return billing.New(d.Config, dynamo.NewLedger(d.Store), pay, host), nil
	})
}

// PayPal adapts the PayPal client to panel.Payments.
type PayPal struct{ C *paypal.Client }

var _ panel.Payments = PayPal{}

func orderOf(o *paypal.Order) *panel.PaymentOrder {
	out := &panel.PaymentOrder{ID: o.ID, Status: o.Status, ApproveURL: o.ApproveURL, AmountMinor: o.AmountMinor,
		Currency: o.Currency, CustomID: o.CustomID}
	for _, c := range o.Captures {
		out.Captures = append(out.Captures, captureOf(c))
	}
	return out
}

func captureOf(c paypal.Capture) panel.PaymentCapture {
	return panel.PaymentCapture{ID: c.ID, Status: c.Status, AmountMinor: c.AmountMinor, Currency: c.Currency,
		CustomID: c.CustomID, OrderID: c.OrderID}
}

// CreateOrder implements panel.Payments.
func (p PayPal) CreateOrder(ctx context.Context, amountMinor int64, currency, customID, returnURL, cancelURL, requestID string) (*panel.PaymentOrder, error) {
	o, err := p.C.CreateOrder(ctx, paypal.CreateOrderInput{AmountMinor: amountMinor, Currency: currency, CustomID: customID,
		ReturnURL: returnURL, CancelURL: cancelURL}, requestID)
	if err != nil {
		return nil, err
	}
	return orderOf(o), nil
}

// CaptureOrder implements panel.Payments; an order captured before is read
// back with its captures.
func (p PayPal) CaptureOrder(ctx context.Context, orderID, requestID string) (*panel.PaymentOrder, error) {
	res, err := p.C.CaptureOrder(ctx, orderID, requestID)
	if paypal.IsAlreadyCaptured(err) {
		o, err := p.C.GetOrder(ctx, orderID)
		if err != nil {
			return nil, err
		}
		return orderOf(o), nil
	}
	if err != nil {
		return nil, err
	}
	out := &panel.PaymentOrder{ID: res.OrderID, Status: res.Status}
	for _, c := range res.Captures {
		out.Captures = append(out.Captures, captureOf(c))
	}
	return out, nil
}

// GetCapture implements panel.Payments.
func (p PayPal) GetCapture(ctx context.Context, id string) (*panel.PaymentCapture, error) {
	c, err := p.C.GetCapture(ctx, id)
	if err != nil {
		return nil, err
	}
	pc := captureOf(*c)
	return &pc, nil
}

// GetRefund implements panel.Payments.
func (p PayPal) GetRefund(ctx context.Context, id string) (*panel.PaymentRefund, error) {
	r, err := p.C.GetRefund(ctx, id)
	if err != nil {
		return nil, err
	}
	return refundOf(r), nil
}

func refundOf(r *paypal.Refund) *panel.PaymentRefund {
	return &panel.PaymentRefund{ID: r.ID, Status: r.Status, CaptureID: r.CaptureID, AmountMinor: r.AmountMinor,
		Currency: r.Currency, CustomID: r.CustomID}
}

// VerifyWebhook implements panel.Payments. A resource that cannot be read
// leaves the event's resource fields nil (billing logs and acknowledges).
func (p PayPal) VerifyWebhook(ctx context.Context, h http.Header, raw []byte) (*panel.PaymentEvent, error) {
	ev, err := p.C.VerifyWebhook(ctx, h, raw)
	if err != nil {
		return nil, err
	}
	out := &panel.PaymentEvent{ID: ev.ID, Type: ev.EventType}
	switch {
	case ev.EventType == paypal.EventCaptureRefunded || ev.EventType == paypal.EventCaptureReversed:
		// Both carry a refund resource (resource_type "refund").
		if r, err := ev.Refund(); err == nil {
			out.Refund = refundOf(r)
		}
	case strings.HasPrefix(ev.EventType, "PAYMENT.CAPTURE."):
		if c, err := ev.Capture(); err == nil {
			pc := captureOf(*c)
			out.Capture = &pc
		}
	case strings.HasPrefix(ev.EventType, "CHECKOUT.ORDER."):
		if o, err := ev.Order(); err == nil {
			out.Order = orderOf(o)
		}
	}
	return out, nil
}

// VirtFusionHost adapts the VirtFusion client to panel.ServerHost.
type VirtFusionHost struct{ C *virtfusion.Client }

var _ panel.ServerHost = VirtFusionHost{}

// CreateServer implements panel.ServerHost.
func (h VirtFusionHost) CreateServer(ctx context.Context, spec panel.ServerSpec, dryRun bool) (int64, error) {
	s, err := h.C.CreateServer(ctx, virtfusion.CreateServerRequest{PackageID: spec.PackageID, UserID: spec.VFUserID,
		HypervisorGroupID: spec.LocationID}, dryRun)
	if err != nil {
		return 0, err
	}
	return s.ID, nil
}

// BuildServer implements panel.ServerHost.
func (h VirtFusionHost) BuildServer(ctx context.Context, id int64, spec panel.ServerSpec) (*panel.Server, string, error) {
	s, err := h.C.BuildServer(ctx, id, virtfusion.BuildServerRequest{OperatingSystemID: spec.TemplateID, Name: spec.Name,
		Hostname: spec.Hostname, SSHKeys: spec.SSHKeyIDs})
	if err != nil {
		return nil, "", err
	}
	pkgs, _ := h.C.Packages(ctx)
	sum := servers.Summarize(s, pkgs)
	servers.SetOrderedPackage(sum, spec.PackageID, pkgs)
	if sum.Name == "" {
		sum.Name = spec.Name
	}
	if sum.Hostname == "" {
		sum.Hostname = spec.Hostname
	}
	return sum, s.DecryptedPassword, nil
}

// DeleteServer implements panel.ServerHost (at once; a missing server is fine).
func (h VirtFusionHost) DeleteServer(ctx context.Context, id int64) error {
	err := h.C.DeleteServer(ctx, id, 0)
	if virtfusion.IsNotFound(err) {
		return nil
	}
	return err
}

// Suspend implements panel.ServerHost.
func (h VirtFusionHost) Suspend(ctx context.Context, id int64) error { return h.C.Suspend(ctx, id) }

// Unsuspend implements panel.ServerHost.
func (h VirtFusionHost) Unsuspend(ctx context.Context, id int64) error { return h.C.Unsuspend(ctx, id) }

// ServerName implements panel.ServerHost.
func (h VirtFusionHost) ServerName(ctx context.Context, id int64) (string, error) {
	s, err := h.C.GetServer(ctx, id, false)
	if err != nil {
		return "", err
	}
	return s.Name, nil
}

// UserServerIDs implements panel.ServerHost.
func (h VirtFusionHost) UserServerIDs(ctx context.Context, vfUserID int64) ([]int64, error) {
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
