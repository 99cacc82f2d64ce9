package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/vfpanel/vfpanel/internal/app"
	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/ddbstream"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/localrun"
	"github.com/vfpanel/vfpanel/internal/mailpit"
	"github.com/vfpanel/vfpanel/internal/routes"
	"github.com/vfpanel/vfpanel/internal/sim/auth0sim"
	geminisim "github.com/vfpanel/vfpanel/internal/sim/gemini"
	"github.com/vfpanel/vfpanel/internal/sim/paypalsim"
	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
)

// StackOptions say where the local stack's pieces live.
type StackOptions struct {
	DynamoEndpoint string
	PublicURL      string
	Table          string
	// DataDir keeps the simulators' state across restarts ("" = memory only).
	DataDir string
	// Ports of the VirtFusion, Auth0 and PayPal simulators (0 = any free
	// port). Fixed ports keep URLs stable across restarts; Auth0's must be,
	// since its address is the tokens' issuer.
	VirtFusionPort, Auth0Port, PayPalPort int
	// HourlyBilling runs the jobs function (webhook re-delivery, order
	// cleanups, hourly billing) every minute, as EventBridge does hourly in AWS.
	HourlyBilling bool
	// BuildDelay and PowerDelay override the VirtFusion simulator's task
	// durations (0 = its defaults); the browser tests shorten them.
	BuildDelay, PowerDelay time.Duration
	// Mail starts Mailpit (build/mailpit) on MailSMTPPort and MailHTTPPort
	// (0 = any free port), sends the panel's mail to it, and delivers the
	// outbox from DynamoDB Local's stream to the notify function's handler,
	// as the table's stream does in AWS.
	Mail                       bool
	MailSMTPPort, MailHTTPPort int
}

// Demo accounts seeded into the Auth0 simulator.
const (
	DemoEmail      = "demo@vfpanel.local"
	DemoPassword   = "demo-Passw0rd!"
	AdminEmail     = "admin@vfpanel.local"
	AdminPassword  = "admin-Passw0rd!"
	localAudience  = "https://api.vfpanel.local"
	localRoleClaim = "https://vfpanel.app/roles"
)

// Stack is everything make dev runs in-process: the simulators and every
// function, each wrapped by the same API Gateway v2 adapter Lambda uses.
type Stack struct {
	Functions map[string]localrun.LambdaHandler
	// Jobs is the scheduled jobs function's handler.
	Jobs       JobsHandler
	Banner     []string
	Config     config.Config
	Deps       *app.Deps
	VirtFusion *vfsim.Sim
	Auth0      *auth0sim.Server
	PayPal     *paypalsim.Server
	// Gemini answers staff's "Draft with AI" (support tickets).
	Gemini *geminisim.Sim
	// Mailpit is the local mail server (nil unless StackOptions.Mail).
	Mailpit *mailpit.Server
	closers []func()
}

// Close stops the simulators (saving their state) and the billing ticker.
func (s *Stack) Close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
}

func stateFile(dir, name string) string {
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, name+".json")
}

func addr(port int) string { return fmt.Sprintf("127.0.0.1:%d", port) }

// StartStack starts the simulators, creates the table and builds every function.
func StartStack(ctx context.Context, o StackOptions) (_ *Stack, err error) {
	s := &Stack{Functions: map[string]localrun.LambdaHandler{}}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()

	// VirtFusion, with demo data; it sends webhooks back to the panel
	// exactly as a real panel would.
	const vfToken, vfHookToken = "vfsim-local-token", "vfsim-local-webhook"
	vf, err := vfsim.NewWithState(vfsim.Options{Token: vfToken, Seed: true, StateFile: stateFile(o.DataDir, "virtfusion"),
		BuildDelay: o.BuildDelay, PowerDelay: o.PowerDelay, WebhookURL: o.PublicURL + "/api/webhooks/virtfusion", WebhookToken: vfHookToken})
	if err != nil {
		return nil, err
	}
	vfURL, err := vf.Start(addr(o.VirtFusionPort))
	if err != nil {
		return nil, fmt.Errorf("start virtfusion simulator: %w", err)
	}
	s.VirtFusion = vf
	s.closers = append(s.closers, func() { vf.Close() })

	// Auth0, with a demo customer and a demo admin.
	const a0ID, a0Secret, a0Conn = "local-client", "local-client-secret", "Username-Password-Authentication"
	a0, err := auth0sim.NewWithState(auth0sim.Options{ClientID: a0ID, ClientSecret: a0Secret, Audience: localAudience,
		Connection: a0Conn, RolesClaim: localRoleClaim, StateFile: stateFile(o.DataDir, "auth0"),
		CallbackURLs: []string{strings.TrimSuffix(o.PublicURL, "/") + "/api/auth/callback"}})
	if err != nil {
		return nil, err
	}
	if err := a0.Start(addr(o.Auth0Port)); err != nil {
		return nil, fmt.Errorf("start auth0 simulator: %w", err)
	}
	s.Auth0 = a0
	s.closers = append(s.closers, func() { a0.Close() })
	a0.AddUser(DemoEmail, DemoPassword, "Demo Customer")
	a0.AddUser(AdminEmail, AdminPassword, "Demo Admin", "admin")

	// PayPal, delivering signed webhooks to the panel; its host is the only
	// trusted certificate host.
	const ppID, ppSecret, ppWebhookID = "sim-client", "sim-secret", "WH-LOCAL-SIM"
	pp, err := paypalsim.NewWithState(paypalsim.Options{ClientID: ppID, ClientSecret: ppSecret, WebhookID: ppWebhookID,
		WebhookURL: o.PublicURL + "/api/webhooks/paypal", StateFile: stateFile(o.DataDir, "paypal")})
	if err != nil {
		return nil, err
	}
	ppURL, err := pp.Start(addr(o.PayPalPort))
	if err != nil {
		return nil, fmt.Errorf("start paypal simulator: %w", err)
	}
	s.PayPal = pp
	s.closers = append(s.closers, func() { pp.Close() })
	ppHost, _ := url.Parse(ppURL)

	// Gemini, for AI-drafted ticket replies.
	const geminiKey = "gemini-sim-local-key"
	s.Gemini = geminisim.New(geminiKey)
	gl, err := net.Listen("tcp", addr(0))
	if err != nil {
		return nil, fmt.Errorf("start gemini simulator: %w", err)
	}
	gsrv := &http.Server{Handler: s.Gemini.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = gsrv.Serve(gl) }()
	s.closers = append(s.closers, func() { _ = gsrv.Close() })
	geminiURL := "http://" + gl.Addr().String()

	env := map[string]string{
		"TABLE_NAME": o.Table, "DYNAMODB_ENDPOINT": o.DynamoEndpoint, "PUBLIC_URL": o.PublicURL,
		"VIRTFUSION_PANEL_URL": vfURL, "VIRTFUSION_API_TOKEN": vfToken, "VIRTFUSION_WEBHOOK_TOKEN": vfHookToken,
		"AUTH0_DOMAIN": a0.URL, "AUTH0_CLIENT_ID": a0ID, "AUTH0_CLIENT_SECRET": a0Secret,
		"AUTH0_AUDIENCE": localAudience, "AUTH0_CONNECTION": a0Conn, "AUTH0_ROLES_CLAIM": localRoleClaim,
		"SESSION_KEY": "local-session-key-not-for-production", "ADMIN_EMAILS": AdminEmail,
		"PAYPAL_API_URL": ppURL, "PAYPAL_CLIENT_ID": ppID, "PAYPAL_CLIENT_SECRET": ppSecret,
		"PAYPAL_WEBHOOK_ID": ppWebhookID, "PAYPAL_CERT_HOSTS": ppHost.Host,
		"GEMINI_API_URL": geminiURL, "GEMINI_API_KEY": geminiKey,
	}
	if o.Mail {
		mp, stopMailpit, err := mailpit.StartOn(o.MailSMTPPort, o.MailHTTPPort)
		if err != nil {
			return nil, fmt.Errorf("start mailpit (make mailpit builds it): %w", err)
		}
		s.Mailpit = mp
		s.closers = append(s.closers, stopMailpit)
		env["SMTP_HOST"], env["SMTP_PORT"], env["SMTP_TLS"] = mp.SMTPHost, strconv.Itoa(mp.SMTPPort), "none"
		env["MAIL_FROM"] = "vfpanel <noreply@vfpanel.local>"
	}
	cfg, err := config.Load(func(k string) string { return env[k] }, nil)
	if err != nil {
		return nil, err
	}
	if err := cfg.Need(config.NeedTable, config.NeedVirtFusion, config.NeedAuth0, config.NeedPayPal); err != nil {
		return nil, err
	}
	deps, err := app.NewDeps(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := dynamo.CreateTable(ctx, deps.DB, cfg.TableName); err != nil {
		return nil, err
	}
	s.Config, s.Deps = cfg, deps

	for name, f := range app.Functions() {
		if f.HTTP == nil {
			continue
		}
		h, err := f.HTTP(deps)
		if err != nil {
			return nil, fmt.Errorf("build %s: %w", name, err)
		}
		s.Functions[name] = localrun.Adapt(h)
	}
	// The hourly run goes through the billing-shard function's own handler,
	// with the SQS event shape, as it does in AWS.
	shard, err := app.BillingShard(deps)
	if err != nil {
		return nil, fmt.Errorf("build billing-shard: %w", err)
	}
	if s.Jobs, err = app.JobsWith(deps, &app.LocalShardQueue{Handle: shard, MaxReceives: 3}); err != nil {
		return nil, fmt.Errorf("build jobs: %w", err)
	}
	billCtx, stopBilling := context.WithCancel(context.Background())
	s.closers = append(s.closers, stopBilling)
	if err := startBilling(billCtx, deps, s.Jobs, o.HourlyBilling); err != nil {
		return nil, fmt.Errorf("billing: %w", err)
	}

	if o.Mail {
		if err := s.startOutbox(ctx); err != nil {
			return nil, err
		}
	}

	s.Banner = []string{
		"Demo customer:         " + DemoEmail + " / " + DemoPassword,
		"Demo admin:            " + AdminEmail + " / " + AdminPassword,
		"VirtFusion simulator:  " + vfURL,
		"Auth0 simulator:       " + a0.URL,
		"PayPal simulator:      " + ppURL,
		"Gemini simulator:      " + geminiURL,
	}
	if s.Mailpit != nil {
		s.Banner = append(s.Banner,
			"Mail sent (viewer):    <panel URL>"+mailViewPath+"  (Mailpit's own web UI needs assets its Go module build lacks)",
			"Mail (Mailpit) API:    "+s.Mailpit.APIURL+"/api/v1/messages  (JSON; SMTP on "+addr(s.Mailpit.SMTPPort)+")")
	}
	return s, nil
}

// startOutbox turns on DynamoDB Local's stream for the table and feeds its
// new outbox items to the notify function's handler, as the stream's event
// source does in AWS, until the stack closes.
func (s *Stack) startOutbox(ctx context.Context) error {
	sender, err := app.NotifySender(s.Deps)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	arn, err := ddbstream.EnableStream(ctx, s.Deps.DB, s.Config.TableName)
	if err != nil {
		return err
	}
	streams, err := ddbstream.NewClient(ctx, s.Config.Region, s.Config.DynamoEndpoint)
	if err != nil {
		return err
	}
	rctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r := &ddbstream.Reader{Streams: streams, StreamARN: arn, Filter: ddbstream.InsertsWithPrefix(dynamo.OutboxPKPrefix),
			Handler: sender.HandleStream}
		_ = r.Run(rctx)
	}()
	s.closers = append(s.closers, func() { stop(); <-done })
	return nil
}

// Runner returns the API Gateway and CloudFront stand-in for the stack's
// functions, serving the UI in webDir ("" for none) with the site headers
// CloudFront would add for this VirtFusion panel.
func (s *Stack) Runner(webDir string) (*localrun.Runner, error) {
	rn, err := localrun.New(s.Functions, webDir)
	if err != nil {
		return nil, err
	}
	rn.Headers = routes.SiteHeaders(s.Config.VirtFusionURL)
	return rn, nil
}
