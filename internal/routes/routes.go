// Package routes is the single list of vfpanel's API routes. The local
// runner, every function's handler and the CDK stack read it, so the three
// cannot drift apart. It is plain data and imports nothing of ours.
package routes

import "strings"

// Auth says who may call a route.
type Auth int

const (
	// Public routes need no signed-in user.
	Public Auth = iota
	// User routes need a signed-in customer (session cookie or Bearer token).
	User
	// Admin routes need a signed-in user with the admin role.
	Admin
)

func (a Auth) String() string {
	switch a {
	case User:
		return "user"
	case Admin:
		return "admin"
	default:
		return "public"
	}
}

// Table access levels a route needs, from which the stack computes IAM.
const (
	TableNone  = 0
	TableRead  = 1
	TableWrite = 2 // implies read
)

// Secret names a route may need; the stack grants read on exactly these.
const (
	SecretVirtFusion = "virtfusion" // VirtFusion API token (and webhook token)
	SecretAuth0      = "auth0"      // Auth0 client secret
	SecretPayPal     = "paypal"     // PayPal client id and secret
	SecretSession    = "session"    // key for signing OAuth state cookies
	SecretSMTP       = "smtp"       // SMTP host, port, tls, user, password and from address
	SecretDiscord    = "discord"    // Discord webhook URL for staff notifications
	// SecretBetterStack holds BetterStack heartbeat URLs (billing, notify)
	// and the health key uptime monitors send for /api/health?deep=1.
	SecretBetterStack = "betterstack"
	// SecretOrigin holds the key CloudFront sends in OriginVerifyHeader. Every
	// function that serves HTTP reads it, so it is granted per function by
	// the stack rather than listed on each route.
	SecretOrigin = "origin"
	// SecretGemini holds the Google Gemini API key staff's AI-drafted
	// ticket replies use (issue 15).
	SecretGemini = "gemini"
)

// OriginVerifyHeader is the request header CloudFront adds to every /api/*
// request it forwards; the app refuses requests without the right value,
// which closes the direct execute-api path.
const OriginVerifyHeader = "X-Origin-Verify"

// Route is one API route.
type Route struct {
	Method   string
	Path     string // Go 1.22 ServeMux pattern path, e.g. /api/servers/{id}
	Function string // the deployed function (domain group) that serves it
	Auth     Auth
	Table    int      // TableNone, TableRead or TableWrite
	Secrets  []string // secrets the handler reads
}

// Pattern is the ServeMux pattern "METHOD /path".
func (r Route) Pattern() string { return r.Method + " " + r.Path }

// APIGatewayPath is the path in API Gateway's syntax; it is the same as the
// ServeMux one except that wildcards ending in "..." become {name+}.
func (r Route) APIGatewayPath() string {
	return strings.ReplaceAll(r.Path, "...}", "+}")
}

// Functions names every deployed function that serves HTTP routes, plus the
// scheduled "jobs" function.
var Functions = []string{"health", "auth", "servers", "catalog", "billing", "webhooks", "admin", "jobs", "support"}

var (
	vf    = []string{SecretVirtFusion}
	auth  = []string{SecretAuth0, SecretVirtFusion, SecretSession}
	vfPay = []string{SecretVirtFusion, SecretPayPal}
	// session signs unsubscribe links.
	session = []string{SecretSession}
	// notify is what sending notifications reads.
	notify = []string{SecretBetterStack, SecretDiscord, SecretSession, SecretSMTP}
	// The deep health check pings every outside service.
	healthSecrets = []string{SecretVirtFusion, SecretPayPal, SecretAuth0, SecretSMTP, SecretBetterStack}
)

// Table is every API route. Keep it sorted by function, then path.
var Table = []Route{
	{"GET", "/api/health", "health", Public, TableRead, healthSecrets},
	{"GET", "/api/openapi.json", "health", Public, TableNone, nil},
	{"GET", "/api/status", "health", Public, TableRead, healthSecrets},
	// Operator console (admin-ops): the public part of the settings.
	{"GET", "/api/settings", "health", Public, TableRead, nil},

	{"POST", "/api/auth/register", "auth", Public, TableWrite, auth},
	{"POST", "/api/auth/login", "auth", Public, TableWrite, auth},
	{"POST", "/api/auth/login/mfa", "auth", Public, TableWrite, auth},
	{"POST", "/api/auth/logout", "auth", User, TableWrite, nil},
	{"POST", "/api/auth/logout-all", "auth", User, TableWrite, nil},
	{"GET", "/api/auth/me", "auth", User, TableWrite, nil},
	{"POST", "/api/auth/password-reset", "auth", Public, TableWrite, auth},
	{"GET", "/api/auth/authorize", "auth", Public, TableWrite, auth},
	{"GET", "/api/auth/callback", "auth", Public, TableWrite, auth},
	{"GET", "/api/account/sessions", "auth", User, TableWrite, nil},
	{"DELETE", "/api/account/sessions/{id}", "auth", User, TableWrite, nil},
	{"PATCH", "/api/account/profile", "auth", User, TableWrite, vf},
	{"GET", "/api/account/export", "auth", User, TableWrite, nil},
	{"DELETE", "/api/account", "auth", User, TableWrite, []string{SecretAuth0, SecretVirtFusion}},
	{"GET", "/api/account/notifications", "auth", User, TableWrite, nil},
	{"PUT", "/api/account/notifications", "auth", User, TableWrite, nil},
	{"GET", "/api/account/mail", "auth", User, TableWrite, nil},
	{"GET", "/api/notifications/unsubscribe", "auth", Public, TableWrite, session},
	{"POST", "/api/notifications/unsubscribe", "auth", Public, TableWrite, session},
	{"GET", "/api/account/tokens", "auth", User, TableWrite, nil},
	{"POST", "/api/account/tokens", "auth", User, TableWrite, nil},
	{"DELETE", "/api/account/tokens/{id}", "auth", User, TableWrite, nil},
	{"POST", "/api/account/email-verification", "auth", User, TableWrite, auth},
	{"POST", "/api/account/email-verification/check", "auth", User, TableWrite, auth},
	{"GET", "/api/account/mfa", "auth", User, TableWrite, auth},
	{"POST", "/api/account/mfa/access", "auth", User, TableWrite, auth},
	{"POST", "/api/account/mfa/enroll", "auth", User, TableWrite, auth},
	{"POST", "/api/account/mfa/enroll/confirm", "auth", User, TableWrite, auth},
	{"DELETE", "/api/account/mfa/authenticators/{id}", "auth", User, TableWrite, auth},

	{"GET", "/api/servers", "servers", User, TableWrite, vf},
	{"POST", "/api/servers", "servers", User, TableWrite, vf},
	{"GET", "/api/servers/{id}", "servers", User, TableWrite, vf},
	{"PATCH", "/api/servers/{id}", "servers", User, TableWrite, vf},
	{"DELETE", "/api/servers/{id}", "servers", User, TableWrite, vf},
	{"POST", "/api/servers/{id}/power", "servers", User, TableWrite, vf},
	{"GET", "/api/servers/{id}/tasks/{taskId}", "servers", User, TableWrite, vf},
	{"GET", "/api/servers/{id}/templates", "servers", User, TableWrite, vf},
	{"POST", "/api/servers/{id}/reinstall", "servers", User, TableWrite, vf},
	{"POST", "/api/servers/{id}/reset-password", "servers", User, TableWrite, vf},
	{"GET", "/api/servers/{id}/traffic", "servers", User, TableWrite, vf},
	{"GET", "/api/servers/{id}/metrics", "servers", User, TableWrite, vf},
	{"GET", "/api/servers/{id}/metrics/history", "servers", User, TableWrite, vf},
	{"POST", "/api/servers/{id}/console", "servers", User, TableWrite, vf},
	{"POST", "/api/servers/{id}/sso", "servers", User, TableWrite, vf},
	{"GET", "/api/servers/{id}/backups", "servers", User, TableWrite, vf},
	{"GET", "/api/account/ssh-keys", "servers", User, TableWrite, vf},
	{"POST", "/api/account/ssh-keys", "servers", User, TableWrite, vf},
	{"DELETE", "/api/account/ssh-keys/{id}", "servers", User, TableWrite, vf},
	{"GET", "/api/account/activity", "servers", User, TableWrite, nil},
	// Activity per server (issue 20, item 4).
	{"GET", "/api/servers/{id}/activity", "servers", User, TableWrite, vf},
	// Resize: package changes and add-ons (backup plans, extra IPv4).
	{"POST", "/api/servers/{id}/resize/preview", "servers", User, TableWrite, vf},
	{"POST", "/api/servers/{id}/resize", "servers", User, TableWrite, vf},
	{"GET", "/api/servers/{id}/addons", "servers", User, TableWrite, vf},
	{"PUT", "/api/servers/{id}/backup-plan", "servers", User, TableWrite, vf},
	{"POST", "/api/servers/{id}/ipv4", "servers", User, TableWrite, vf},
	{"DELETE", "/api/servers/{id}/ipv4/{ip}", "servers", User, TableWrite, vf},
	// Customer server alerts (issue 18).
	{"GET", "/api/servers/{id}/alerts", "servers", User, TableWrite, vf},
	{"POST", "/api/servers/{id}/alerts", "servers", User, TableWrite, vf},
	{"PUT", "/api/servers/{id}/alerts/{alertId}", "servers", User, TableWrite, vf},
	{"DELETE", "/api/servers/{id}/alerts/{alertId}", "servers", User, TableWrite, vf},
	// Firewall: rulesets via the operator's presets (issue 19, fw).
	{"GET", "/api/servers/{id}/firewall/{iface}", "servers", User, TableWrite, vf},
	{"PUT", "/api/servers/{id}/firewall/{iface}", "servers", User, TableWrite, vf},

	{"GET", "/api/catalog/locations", "catalog", Public, TableRead, vf},
	{"GET", "/api/catalog/packages", "catalog", Public, TableRead, vf},
	{"GET", "/api/catalog/packages/{id}/templates", "catalog", Public, TableRead, vf},

	{"GET", "/api/billing/balance", "billing", User, TableWrite, nil},
	{"GET", "/api/billing/checkout", "billing", User, TableNone, nil},
	{"GET", "/api/billing/transactions", "billing", User, TableWrite, nil},
	{"GET", "/api/billing/invoices", "billing", User, TableWrite, nil},
	{"GET", "/api/billing/invoices/{id}/pdf", "billing", User, TableWrite, nil},
	{"POST", "/api/billing/topups", "billing", User, TableWrite, vfPay},
	{"POST", "/api/billing/topups/{orderId}/capture", "billing", User, TableWrite, vfPay},
	// Coupons and auto top-up (issue 19, promo).
	{"POST", "/api/billing/coupons/validate", "billing", User, TableWrite, vfPay},
	{"GET", "/api/billing/auto-topup", "billing", User, TableWrite, vfPay},
	{"PUT", "/api/billing/auto-topup", "billing", User, TableWrite, vfPay},
	{"DELETE", "/api/billing/auto-topup", "billing", User, TableWrite, vfPay},
	{"POST", "/api/billing/auto-topup/setup", "billing", User, TableWrite, vfPay},
	{"POST", "/api/billing/auto-topup/setup/{token}/confirm", "billing", User, TableWrite, vfPay},
	// Invoices (issue 20, item 9): the customer's billing profile.
	{"GET", "/api/billing/profile", "billing", User, TableWrite, nil},
	{"PUT", "/api/billing/profile", "billing", User, TableWrite, nil},

	{"POST", "/api/webhooks/paypal", "webhooks", Public, TableWrite, vfPay},
	{"POST", "/api/webhooks/virtfusion", "webhooks", Public, TableWrite, vf},

	{"POST", "/api/admin/users/{id}/adjustments", "admin", Admin, TableWrite, vfPay},
	{"PUT", "/api/admin/packages/{id}/price", "admin", Admin, TableWrite, vf},
	{"GET", "/api/admin/notifications/failed", "admin", Admin, TableWrite, nil},
	{"POST", "/api/admin/notifications/{id}/retry", "admin", Admin, TableWrite, nil},
	{"PUT", "/api/admin/status-message", "admin", Admin, TableWrite, nil},
	{"DELETE", "/api/admin/status-message", "admin", Admin, TableWrite, nil},
	// Resize: the operator's add-on prices.
	{"GET", "/api/admin/addon-prices", "admin", Admin, TableWrite, nil},
	{"PUT", "/api/admin/backup-plans/{id}/price", "admin", Admin, TableWrite, nil},
	{"DELETE", "/api/admin/backup-plans/{id}/price", "admin", Admin, TableWrite, nil},
	{"PUT", "/api/admin/ipv4-price", "admin", Admin, TableWrite, nil},
	// Firewall presets (issue 19, fw).
	{"GET", "/api/admin/firewall-presets", "admin", Admin, TableWrite, nil},
	{"PUT", "/api/admin/firewall-presets", "admin", Admin, TableWrite, nil},

	// Operator console: users, servers, audit (issue 16).
	{"GET", "/api/admin/users", "admin", Admin, TableWrite, nil},
	{"GET", "/api/admin/users/{id}", "admin", Admin, TableWrite, vf},
	{"GET", "/api/admin/users/{id}/transactions", "admin", Admin, TableWrite, nil},
	{"GET", "/api/admin/users/{id}/activity", "admin", Admin, TableWrite, nil},
	{"GET", "/api/admin/users/{id}/notifications", "admin", Admin, TableWrite, nil},
	{"POST", "/api/admin/users/{id}/block", "admin", Admin, TableWrite, auth},
	{"PUT", "/api/admin/users/{id}/role", "admin", Admin, TableWrite, nil},
	{"POST", "/api/admin/users/{id}/virtfusion-link", "admin", Admin, TableWrite, vf},
	{"POST", "/api/admin/users/{id}/password-reset", "admin", Admin, TableWrite, auth},
	{"DELETE", "/api/admin/users/{id}", "admin", Admin, TableWrite, auth},
	{"GET", "/api/admin/servers", "admin", Admin, TableWrite, vf},
	{"POST", "/api/admin/servers/{id}/power", "admin", Admin, TableWrite, vf},
	{"PUT", "/api/admin/servers/{id}/suspension", "admin", Admin, TableWrite, vf},
	{"DELETE", "/api/admin/servers/{id}", "admin", Admin, TableWrite, vf},
	{"POST", "/api/admin/servers/{id}/transfer", "admin", Admin, TableWrite, vf},
	{"GET", "/api/admin/audit", "admin", Admin, TableWrite, nil},
	// Coupons (issue 19, promo).
	{"GET", "/api/admin/coupons", "admin", Admin, TableWrite, vfPay},
	{"POST", "/api/admin/coupons", "admin", Admin, TableWrite, vfPay},
	{"PATCH", "/api/admin/coupons/{code}", "admin", Admin, TableWrite, vfPay},
	{"GET", "/api/admin/coupons/{code}/redemptions", "admin", Admin, TableWrite, vfPay},

	// Support tickets (issue 15): customers' tickets, the staff help desk
	// and AI-drafted replies (Gemini).
	{"GET", "/api/tickets", "support", User, TableWrite, nil},
	{"POST", "/api/tickets", "support", User, TableWrite, nil},
	{"GET", "/api/tickets/unread", "support", User, TableWrite, nil},
	{"GET", "/api/tickets/{id}", "support", User, TableWrite, nil},
	{"POST", "/api/tickets/{id}/messages", "support", User, TableWrite, nil},
	{"POST", "/api/tickets/{id}/close", "support", User, TableWrite, nil},
	{"POST", "/api/tickets/{id}/reopen", "support", User, TableWrite, nil},
	{"GET", "/api/admin/tickets", "support", Admin, TableWrite, nil},
	{"GET", "/api/admin/tickets/{id}", "support", Admin, TableWrite, nil},
	{"PATCH", "/api/admin/tickets/{id}", "support", Admin, TableWrite, nil},
	{"POST", "/api/admin/tickets/{id}/messages", "support", Admin, TableWrite, nil},
	{"POST", "/api/admin/tickets/{id}/draft", "support", Admin, TableWrite, []string{SecretGemini, SecretVirtFusion}},
	{"GET", "/api/admin/tickets/{id}/context", "support", Admin, TableWrite, vf},
	{"GET", "/api/admin/canned-replies", "support", Admin, TableWrite, nil},
	{"POST", "/api/admin/canned-replies", "support", Admin, TableWrite, nil},
	{"PUT", "/api/admin/canned-replies/{id}", "support", Admin, TableWrite, nil},
	{"DELETE", "/api/admin/canned-replies/{id}", "support", Admin, TableWrite, nil},

	// Operator console (admin-ops): settings, payments, packages.
	{"GET", "/api/admin/settings", "admin", Admin, TableWrite, nil},
	{"PUT", "/api/admin/settings", "admin", Admin, TableWrite, nil},
	{"GET", "/api/admin/topups", "admin", Admin, TableWrite, nil},
	{"POST", "/api/admin/topups/{id}/refunds", "admin", Admin, TableWrite, vfPay},
	{"GET", "/api/admin/revenue", "admin", Admin, TableWrite, nil},
	{"GET", "/api/admin/revenue/csv", "admin", Admin, TableWrite, nil},
	{"GET", "/api/admin/packages", "admin", Admin, TableWrite, vf},
	{"DELETE", "/api/admin/packages/{id}/price", "admin", Admin, TableWrite, nil},
	{"PUT", "/api/admin/packages/{id}/visibility", "admin", Admin, TableWrite, nil},
	// Admin overview (issue 20, item 10).
	{"GET", "/api/admin/overview", "admin", Admin, TableWrite, nil},

	// Operator console: billing runs, webhook deliveries, search index (ops2).
	{"GET", "/api/admin/billing/runs", "admin", Admin, TableWrite, nil},
	{"POST", "/api/admin/billing/runs", "admin", Admin, TableWrite, vfPay},
	{"GET", "/api/admin/webhooks", "admin", Admin, TableWrite, nil},
	{"POST", "/api/admin/webhooks/{source}/{id}/reprocess", "admin", Admin, TableWrite, vfPay},
	{"POST", "/api/admin/users/search-index", "admin", Admin, TableWrite, nil},
}

// ForFunction returns the routes one function serves.
func ForFunction(name string) []Route {
	var out []Route
	for _, r := range Table {
		if r.Function == name {
			out = append(out, r)
		}
	}
	return out
}

// Schedules lists the scheduled (non-HTTP) work of the "jobs" function.
var Schedules = []Schedule{
	// Each run also sends the notifications whose retry is due, so it
	// reads the mail and Discord secrets too.
	// PayPal: auto top-ups charge saved wallets after the charges.
	{Name: "hourly-billing", Function: "jobs", Cron: "cron(5 * * * ? *)", Table: TableWrite,
		Secrets: []string{SecretVirtFusion, SecretBetterStack, SecretDiscord, SecretSession, SecretSMTP, SecretPayPal}},
	// Every 5 minutes: CPU, memory and disk I/O of each running server.
	{Name: MetricsSampleJob, Function: "jobs", Cron: "cron(0/5 * * * ? *)", Table: TableWrite, Secrets: vf},
}

// MetricsSampleJob is the schedule whose event makes the jobs function
// sample server metrics instead of its hourly work.
const MetricsSampleJob = "metrics-sample"

// Streams lists the functions the table's DynamoDB stream invokes. Each
// gets the INSERTs of items whose partition key starts with KeyPrefix.
var Streams = []Stream{
	{Name: "outbox", Function: "notify", KeyPrefix: "OUTBOX#", Table: TableWrite,
		Secrets: notify},
}

// Queues lists the SQS queues from one function to another: Producer gets
// the queue's URL in Env and may send; Function consumes one message per
// invocation. The hourly billing run's shards go this way.
var Queues = []Queue{
	{Name: "billing-shards", Producer: "jobs", Function: "billingshard", Env: "SHARD_QUEUE_URL", Table: TableWrite, Secrets: vf},
}

// Queue is work one function hands another through SQS.
type Queue struct {
	Name     string
	Producer string
	Function string
	Env      string
	Table    int
	Secrets  []string
}

// Stream is work the table's stream triggers.
type Stream struct {
	Name      string
	Function  string
	KeyPrefix string
	Table     int
	Secrets   []string
}

// Schedule is a piece of work EventBridge triggers on a timetable.
type Schedule struct {
	Name     string
	Function string
	Cron     string
	Table    int
	Secrets  []string
}

// Personal API token scopes (see TokenScope).
const (
	TokenScopeNone  = ""      // no API token may call the route
	TokenScopeRead  = "read"  // read, power and full tokens
	TokenScopePower = "power" // power and full tokens
	TokenScopeFull  = "full"  // full tokens
)

// TokenScope is the personal API token scope a route needs. Reads need
// "read"; powering a server needs "power"; other changes need "full".
// Sign-in, account security (tokens, two-factor, sessions, email
// verification, export and erase) and admin routes take no API token at all.
func (r Route) TokenScope() string {
	for _, p := range []string{"/api/auth/", "/api/admin/", "/api/account/tokens", "/api/account/mfa",
		"/api/account/sessions", "/api/account/email-verification", "/api/account/export"} {
		if strings.HasPrefix(r.Path, p) || r.Path == "/api/account" {
			return TokenScopeNone
		}
	}
	if r.Auth == Admin {
		return TokenScopeNone
	}
	switch {
	case r.Method == "GET" || r.Method == "HEAD":
		return TokenScopeRead
	case r.Method == "POST" && r.Path == "/api/servers/{id}/power":
		return TokenScopePower
	}
	return TokenScopeFull
}

// ByPattern returns the route whose ServeMux pattern is p.
func ByPattern(p string) (Route, bool) {
	for _, r := range Table {
		if r.Pattern() == p {
			return r, true
		}
	}
	return Route{}, false
}
