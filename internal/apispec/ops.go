package apispec

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/vfpanel/vfpanel/internal/api/admin"
	"github.com/vfpanel/vfpanel/internal/api/adminops"
	"github.com/vfpanel/vfpanel/internal/api/auth"
	billingapi "github.com/vfpanel/vfpanel/internal/api/billing"
	"github.com/vfpanel/vfpanel/internal/api/catalog"
	"github.com/vfpanel/vfpanel/internal/api/health"
	"github.com/vfpanel/vfpanel/internal/api/notifications"
	"github.com/vfpanel/vfpanel/internal/api/orders"
	"github.com/vfpanel/vfpanel/internal/api/servers"
	"github.com/vfpanel/vfpanel/internal/api/status"
	bill "github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Ops documents every route of routes.Table, keyed by its pattern: one
// line per route names the request and response types. A route added to
// the table without a line here fails TestEveryRouteDocumented, whose
// message says what to add.
var Ops = map[string]Op{
	"GET /api/health":       {Summary: "Health and version", Response: health.Response{}},
	"GET /api/openapi.json": {Summary: "This OpenAPI document", Response: map[string]any{}},
	"GET /api/status":       {Summary: "Public service status (no sign-in; cached 30 s)", Response: status.Response{}},

	"POST /api/auth/login/mfa": {Summary: "Finish a sign-in with a one-time or recovery code", Request: auth.MFACode{}, Response: auth.MFASignedIn{},
		Errors: []string{panel.EUNAUTHORIZED, panel.ERATELIMITED, panel.EMFAREQUIRED}},
	"GET /api/account/mfa":                        {Summary: "My second factors", Response: auth.MFAStatus{}, Errors: []string{panel.EMFAREAUTH}},
	"POST /api/account/mfa/access":                {Summary: "Confirm my password to manage second factors", Request: auth.MFAAccessRequest{}, Response: auth.MFAAccess{}, Errors: []string{panel.EUNAUTHORIZED, panel.ERATELIMITED, panel.EMFAREQUIRED}},
	"POST /api/account/mfa/enroll":                {Summary: "Start enrolling an authenticator app", Response: auth.MFAEnrolment{}, Errors: []string{panel.EMFAREAUTH}},
	"POST /api/account/mfa/enroll/confirm":        {Summary: "Confirm the authenticator with a code", Request: auth.MFACode{}, Errors: []string{panel.EMFAREAUTH}},
	"DELETE /api/account/mfa/authenticators/{id}": {Summary: "Remove a second factor", Errors: []string{panel.EMFAREAUTH}},
	"GET /api/account/tokens":                     {Summary: "My personal API tokens", Response: auth.APITokenList{}},
	"POST /api/account/tokens":                    {Summary: "Create a personal API token (shown once)", Request: auth.NewTokenRequest{}, Response: auth.NewToken{}, Status: http.StatusCreated, Errors: []string{panel.ECONFLICT}},
	"DELETE /api/account/tokens/{id}":             {Summary: "Revoke a personal API token"},
	"POST /api/account/email-verification":        {Summary: "Send the verification email again", Response: auth.VerificationSent{}, Status: http.StatusAccepted, Errors: []string{panel.ERATELIMITED}},
	"POST /api/account/email-verification/check":  {Summary: "Check whether my email is verified now", Response: auth.EmailVerification{}},
	"GET /api/account/notifications":              {Summary: "My email preferences", Response: panel.NotificationPrefs{}},
	"PUT /api/account/notifications":              {Summary: "Change my email preferences", Request: notifications.PrefsRequest{}, Response: panel.NotificationPrefs{}},
	"GET /api/account/mail": {Summary: "Mail sent to me, newest first", Response: notifications.MailPage{},
		Query: []Param{{Name: "cursor"}, {Name: "limit"}}},
	"GET /api/notifications/unsubscribe": {Summary: "Unsubscribe confirmation page (signed link)", ContentType: "text/html",
		Query: []Param{{Name: "u"}, {Name: "sig"}}, Errors: []string{panel.EFORBIDDEN}},
	"POST /api/notifications/unsubscribe": {Summary: "Unsubscribe from non-essential mail (RFC 8058 one-click)", ContentType: "text/html",
		Query: []Param{{Name: "u"}, {Name: "sig"}}, Errors: []string{panel.EFORBIDDEN}},
	"GET /api/admin/notifications/failed": {Summary: "Notifications given up on", Response: notifications.FailedPage{},
		Query: []Param{{Name: "cursor"}, {Name: "limit"}}},
	"POST /api/admin/notifications/{id}/retry": {Summary: "Queue a failed notification again", Errors: []string{panel.ECONFLICT}},
	"PUT /api/admin/status-message":            {Summary: "Post the maintenance or incident message", Request: status.MessageRequest{}, Response: status.MessageResponse{}},
	"DELETE /api/admin/status-message":         {Summary: "Clear the status message"},
	"GET /api/servers/{id}/metrics/history": {Summary: "CPU, memory and disk I/O history", Response: servers.MetricsHistory{},
		Query: []Param{{Name: "range", Description: "1h, 24h, 7d or 30d."}}},

	"POST /api/auth/register": {Summary: "Register an account", Request: auth.Registration{}, Response: auth.Registered{}, Status: http.StatusAccepted,
		Errors: []string{panel.ERATELIMITED}, Description: "The answer is the same whether or not the email already had an account; it signs nobody in."},
	"POST /api/auth/login": {Summary: "Sign in with email and password", Request: auth.Credentials{}, Response: auth.SignedIn{},
		Errors: []string{panel.EUNAUTHORIZED, panel.ERATELIMITED}, Description: "Sets the session cookie; the answer carries the CSRF token."},
	"POST /api/auth/logout":         {Summary: "Sign out of this session"},
	"POST /api/auth/logout-all":     {Summary: "Sign out of every session"},
	"GET /api/auth/me":              {Summary: "The signed-in user and CSRF token", Response: auth.SignedIn{}, Errors: []string{panel.ENOTFOUND}},
	"POST /api/auth/password-reset": {Summary: "Send a password reset email", Request: auth.ResetRequest{}, Response: auth.OK{}, Status: http.StatusAccepted, Errors: []string{panel.ERATELIMITED}},
	"GET /api/auth/authorize": {Summary: "Start social sign-in (redirects to the identity provider)", Status: http.StatusFound,
		Query: []Param{{Name: "returnTo", Description: "Path on this site to return to after sign-in."}}},
	"GET /api/auth/callback": {Summary: "Finish social sign-in (redirects into the panel)", Status: http.StatusFound,
		Query: []Param{{Name: "code"}, {Name: "state"}, {Name: "error"}}, Errors: []string{panel.EUNAUTHORIZED},
		Description: "Problems also redirect, to /login?error=<reason>."},
	"GET /api/account/sessions":         {Summary: "List my sessions", Response: auth.SessionList{}},
	"DELETE /api/account/sessions/{id}": {Summary: "End one of my sessions"},
	"PATCH /api/account/profile":        {Summary: "Change my name", Request: auth.ProfileUpdate{}, Response: auth.UserBody{}},
	"GET /api/account/export": {Summary: "Download everything the panel holds about me (JSON attachment)", Response: auth.AccountExport{},
		Errors: []string{panel.ERATELIMITED}},
	"DELETE /api/account": {Summary: "Close my account and erase my personal data", Request: auth.EraseRequest{}, Errors: []string{panel.ECONFLICT},
		Description: "Refused while a server is active or the balance is in credit. Ledger entries are kept under a pseudonymous id; signs the caller out."},

	"GET /api/servers": {Summary: "List my servers with live state", Response: servers.ServerList{}, Example: serverListExample},
	"POST /api/servers": {Summary: "Order a server", Request: bill.OrderRequest{}, Response: orders.OrderCreated{}, Status: http.StatusCreated,
		Header: []Param{idempotencyKey(true)}, Errors: []string{panel.EPAYMENTREQUIRED, panel.ECONFLICT, panel.EIDEMPOTENCYMISMATCH, panel.ERATELIMITED}},
	"GET /api/servers/{id}":    {Summary: "One server with traffic and build state", Response: servers.ServerDetailBody{}},
	"PATCH /api/servers/{id}":  {Summary: "Rename a server", Request: servers.RenameRequest{}, Response: servers.ServerBody{}, Errors: []string{panel.ESERVERSUSPENDED}},
	"DELETE /api/servers/{id}": {Summary: "Delete a server", Request: orders.DeleteRequest{}, Response: orders.ServerDeleted{}, Status: http.StatusAccepted, Errors: []string{panel.ECONFLICT}},
	"POST /api/servers/{id}/power": {Summary: "Boot, shut down, restart or power off", Request: servers.PowerRequest{}, Response: servers.TaskBody{}, Status: http.StatusAccepted,
		Errors:         []string{panel.ESERVERSUSPENDED, panel.ESERVERBUSY, panel.ECONFLICT, panel.ERATELIMITED},
		RequestExample: servers.PowerRequest{Action: "restart"}, Example: servers.TaskBody{Task: panel.Task{ID: "8841", Action: "restart", Status: panel.TaskPending, StartedAt: &exampleTime}}},
	"GET /api/servers/{id}/tasks/{taskId}":  {Summary: "Follow a queued action", Response: servers.TaskBody{}},
	"GET /api/servers/{id}/templates":       {Summary: "Operating systems this server can install", Response: catalog.TemplateGroupList{}},
	"POST /api/servers/{id}/reinstall":      {Summary: "Reinstall the operating system (wipes the server)", Request: servers.ReinstallRequest{}, Response: servers.ReinstallStarted{}, Status: http.StatusAccepted, Errors: []string{panel.ESERVERSUSPENDED, panel.ESERVERBUSY, panel.ERATELIMITED}},
	"POST /api/servers/{id}/reset-password": {Summary: "Set a new root password", Response: servers.PasswordReset{}, Errors: []string{panel.ESERVERSUSPENDED, panel.ESERVERBUSY, panel.ECONFLICT, panel.ERATELIMITED}},
	"GET /api/servers/{id}/traffic":         {Summary: "Traffic by month", Response: servers.TrafficBody{}},
	"GET /api/servers/{id}/metrics":         {Summary: "Live CPU, memory and disk usage", Response: panel.Metrics{}},
	"POST /api/servers/{id}/console":        {Summary: "Open the VNC console", Response: servers.ConsoleAccess{}, Errors: []string{panel.ESERVERSUSPENDED}},
	"POST /api/servers/{id}/sso":            {Summary: "One-time link into VirtFusion's panel", Response: servers.SSOLink{}, Errors: []string{panel.ESERVERSUSPENDED}},
	"GET /api/servers/{id}/backups":         {Summary: "List backups", Response: servers.BackupList{}},
	"GET /api/account/ssh-keys":             {Summary: "List my SSH keys", Response: servers.SSHKeyList{}},
	"POST /api/account/ssh-keys":            {Summary: "Add an SSH key", Request: servers.CreateKeyRequest{}, Response: servers.SSHKeyBody{}, Status: http.StatusCreated, Errors: []string{panel.ECONFLICT}},
	"DELETE /api/account/ssh-keys/{id}":     {Summary: "Delete an SSH key"},
	"GET /api/account/activity":             {Summary: "My activity log, newest first", Response: panel.Page[panel.AuditEntry]{}, Query: []Param{cursor}},

	"GET /api/catalog/locations":               {Summary: "Locations with stock", Response: catalog.LocationList{}},
	"GET /api/catalog/packages":                {Summary: "Plans with prices", Response: catalog.PackageList{}},
	"GET /api/catalog/packages/{id}/templates": {Summary: "Operating systems a plan can install", Response: catalog.TemplateGroupList{}},

	"GET /api/billing/balance": {Summary: "My balance and how long it lasts", Response: bill.BalanceView{},
		Example: bill.BalanceView{BalanceMinor: 4250, Currency: "USD", BurnPerHourMinor: 2, HoursRemaining: 2125}},
	"GET /api/billing/checkout": {Summary: "How the browser pays (PayPal SDK or redirect)", Response: billingapi.Checkout{}},
	"GET /api/billing/transactions": {Summary: "My ledger, newest first", Response: panel.Page[*panel.LedgerEntry]{}, Query: []Param{
		{Name: "type", Schema: map[string]any{"type": "string", "enum": []string{"topup", "charge", "refund", "reversal", "adjustment"}}},
		{Name: "from", Description: "Date (2026-11-01) or RFC 3339 time."},
		{Name: "to", Description: "Date (inclusive) or RFC 3339 time."},
		cursor,
		{Name: "limit", Schema: map[string]any{"type": "integer", "minimum": 1, "maximum": 100}}}},
	"GET /api/billing/invoices":          {Summary: "My monthly statements", Response: billingapi.InvoiceList{}},
	"GET /api/billing/invoices/{id}/pdf": {Summary: "A monthly statement as PDF", ContentType: "application/pdf"},
	"POST /api/billing/topups": {Summary: "Start a PayPal top-up", Request: billingapi.TopupRequest{}, Response: bill.TopupStarted{}, Status: http.StatusCreated,
		Header: []Param{idempotencyKey(false)}, Errors: []string{panel.EIDEMPOTENCYMISMATCH, panel.ERATELIMITED},
		Description:    "Send the buyer to approveUrl; when PayPal sends them back, capture the order.",
		RequestExample: billingapi.TopupRequest{Amount: "25.00"},
		Example:        bill.TopupStarted{OrderID: "5O190127TN364715T", ApproveURL: "https://www.paypal.com/checkoutnow?token=5O190127TN364715T", AmountMinor: 2500}},
	"POST /api/billing/topups/{orderId}/capture": {Summary: "Capture an approved top-up", Response: bill.CaptureResult{}, Errors: []string{panel.ECONFLICT, panel.EPAYMENTREQUIRED},
		Example: bill.CaptureResult{Status: "COMPLETED", Credited: true, BalanceMinor: 6750}},

	"POST /api/webhooks/paypal":     {Summary: "PayPal webhook (signed by PayPal)", Request: json.RawMessage{}, Response: billingapi.WebhookAck{}, Errors: []string{panel.EUNAUTHORIZED, panel.ECONFLICT}},
	"POST /api/webhooks/virtfusion": {Summary: "VirtFusion webhook (bearer token)", Request: json.RawMessage{}, Response: servers.WebhookAck{}, Errors: []string{panel.EUNAUTHORIZED}},

	"GET /api/admin/users":                   {Summary: "Customers with balances", Response: panel.Page[admin.AdminUser]{}, Query: []Param{cursor}},
	"GET /api/admin/users/{id}":              {Summary: "One customer: balance, servers, ledger", Response: admin.UserDetail{}},
	"POST /api/admin/users/{id}/adjustments": {Summary: "Credit or debit a customer", Request: admin.AdjustmentRequest{}, Response: admin.Adjusted{}, Status: http.StatusCreated, Header: []Param{idempotencyKey(true)}, Errors: []string{panel.EIDEMPOTENCYMISMATCH, panel.ECONFLICT}},
	"PUT /api/admin/packages/{id}/price":     {Summary: "Set a plan's price", Request: admin.PriceRequest{}, Response: admin.PriceBody{}},

	// Operator console (admin-ops).
	"GET /api/settings":       {Summary: "How the company presents itself, and the announcement (public; cached 60 s)", Response: panel.PublicSettings{}},
	"GET /api/admin/settings": {Summary: "The run-time settings in force and their defaults", Response: adminops.SettingsView{}},
	"PUT /api/admin/settings": {Summary: "Change the run-time settings (every function within 60 s)", Request: adminops.SettingsRequest{}, Response: adminops.SettingsView{}, Errors: []string{panel.ECONFLICT}},
	"GET /api/admin/topups": {Summary: "PayPal top-ups, newest first", Response: panel.Page[adminops.AdminTopup]{},
		Query: []Param{cursor, {Name: "status", Description: "created, pending, credited or denied"}, {Name: "user", Description: "a customer's id"}}},
	"POST /api/admin/topups/{id}/refunds": {Summary: "Refund a top-up through PayPal (full or partial) and debit the wallet once", Request: adminops.RefundRequest{}, Response: bill.Refunded{},
		Status: http.StatusCreated, Header: []Param{idempotencyKey(true)}, Errors: []string{panel.ECONFLICT, panel.EUPSTREAM}},
	"GET /api/admin/revenue":                  {Summary: "Revenue by month from the ledger's month totals", Response: adminops.Revenue{}, Query: []Param{{Name: "months", Description: "1 to 36, default 12"}}},
	"GET /api/admin/revenue/csv":              {Summary: "Revenue by month as CSV", ContentType: "text/csv", Query: []Param{{Name: "months", Description: "1 to 36, default 12"}}},
	"GET /api/admin/packages":                 {Summary: "VirtFusion packages with their prices and the servers on them", Response: adminops.PackageList{}},
	"DELETE /api/admin/packages/{id}/price":   {Summary: "Take a plan off sale (running servers keep their price)"},
	"PUT /api/admin/packages/{id}/visibility": {Summary: "Hide a priced plan from ordering, or offer it again", Request: adminops.VisibilityRequest{}, Response: adminops.VisibilityBody{}},
}

var cursor = Param{Name: "cursor", Description: "nextCursor of the previous page."}

func idempotencyKey(required bool) Param {
	return Param{Name: "Idempotency-Key", Required: required, Description: "Unique per intended operation; a retry with the same key answers the first result.",
		Schema: map[string]any{"type": "string", "minLength": 1, "maxLength": 200}}
}

var exampleTime = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)

var serverListExample = servers.ServerList{Servers: []*panel.Server{{
	ID: 101, UUID: "9b3c1f1e-3f7a-4a55-8f3e-2f8d4a1c0b11", Name: "web-1", Hostname: "web-1.example.com",
	Provisioning: panel.ProvisionComplete, Power: panel.PowerRunning, IPv4: []string{"203.0.113.10"}, IPv6: []string{"2001:db8::10"},
	OS:        panel.ServerOS{Name: "Debian 12", Icon: "debian"},
	Location:  &panel.ServerLocation{ID: 1, Name: "Amsterdam"},
	Package:   &panel.ServerPackage{ID: 3, Name: "Standard 2G"},
	Resources: panel.ServerResources{CPUCores: 2, MemoryMB: 2048, StorageGB: 40, TrafficGB: 2000},
	CreatedAt: exampleTime,
}}}
