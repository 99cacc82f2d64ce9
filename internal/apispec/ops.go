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
	"github.com/vfpanel/vfpanel/internal/api/changes"
	"github.com/vfpanel/vfpanel/internal/api/health"
	"github.com/vfpanel/vfpanel/internal/api/notifications"
	"github.com/vfpanel/vfpanel/internal/api/orders"
	"github.com/vfpanel/vfpanel/internal/api/servers"
	"github.com/vfpanel/vfpanel/internal/api/status"
	"github.com/vfpanel/vfpanel/internal/api/tickets"
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
	// Customer server alerts (issue 18).
	"GET /api/servers/{id}/alerts": {Summary: "My alerts on a server", Response: servers.AlertList{}},
	"POST /api/servers/{id}/alerts": {Summary: "Add an alert (CPU, traffic or stopped)", Request: servers.AlertRequest{}, Response: servers.AlertBody{},
		Status: http.StatusCreated, Errors: []string{panel.ECONFLICT},
		Description: "The webhook URL is a Discord or Slack-compatible incoming webhook over https; only its host is shown afterwards."},
	"PUT /api/servers/{id}/alerts/{alertId}":    {Summary: "Change an alert", Request: servers.AlertRequest{}, Response: servers.AlertBody{}},
	"DELETE /api/servers/{id}/alerts/{alertId}": {Summary: "Delete an alert"},
	// Firewall (issue 19, fw).
	"GET /api/servers/{id}/firewall/{iface}": {Summary: "An interface's firewall: applied rules, presets offered, last change", Response: servers.FirewallView{}},
	"PUT /api/servers/{id}/firewall/{iface}": {Summary: "Enable or disable an interface's firewall and choose presets (the change's state says whether it applied)",
		Request: servers.FirewallRequest{}, Response: servers.FirewallView{}, Errors: []string{panel.ESERVERSUSPENDED, panel.ERATELIMITED}},
	"GET /api/admin/firewall-presets": {Summary: "The operator's firewall presets (VirtFusion ruleset ids)", Response: panel.FirewallPresets{}},
	"PUT /api/admin/firewall-presets": {Summary: "Save the firewall presets", Request: servers.FirewallPresetsRequest{}, Response: panel.FirewallPresets{}, Errors: []string{panel.ECONFLICT}},
	"GET /api/account/activity":       {Summary: "My activity log, newest first", Response: panel.Page[panel.AuditEntry]{}, Query: []Param{cursor}},
	// Activity per server (issue 20, item 4).
	"GET /api/servers/{id}/activity": {Summary: "My activity about one server, newest first (a page may be short; follow nextCursor)",
		Response: panel.Page[panel.AuditEntry]{}, Query: []Param{cursor}},

	"GET /api/catalog/locations":               {Summary: "Locations with stock", Response: catalog.LocationList{}},
	"GET /api/catalog/packages":                {Summary: "Plans with prices", Response: catalog.PackageList{}},
	"GET /api/catalog/packages/{id}/templates": {Summary: "Operating systems a plan can install", Response: catalog.TemplateGroupList{}},

	"GET /api/billing/balance": {Summary: "My balance and how long it lasts", Response: bill.BalanceView{},
		Example: bill.BalanceView{BalanceMinor: 4250, Currency: "USD", BurnPerHourMinor: 2, HoursRemaining: 2125}},
	"GET /api/billing/checkout": {Summary: "How the browser pays (PayPal SDK or redirect)", Response: billingapi.Checkout{}},
	"GET /api/billing/transactions": {Summary: "My ledger, newest first", Response: panel.Page[*panel.LedgerEntry]{}, Query: []Param{
		{Name: "type", Schema: map[string]any{"type": "string", "enum": []string{"topup", "charge", "refund", "reversal", "adjustment", "promo"}}},
		{Name: "from", Description: "Date (2026-11-01) or RFC 3339 time."},
		{Name: "to", Description: "Date (inclusive) or RFC 3339 time."},
		cursor,
		{Name: "limit", Schema: map[string]any{"type": "integer", "minimum": 1, "maximum": 100}},
		// Invoices (issue 20, item 9).
		{Name: "group", Description: "day: one row per server per day for hourly charges; the cursor is then a date.", Schema: map[string]any{"type": "string", "enum": []string{"day"}}}}},
	"GET /api/billing/invoices":          {Summary: "My monthly statements", Response: billingapi.InvoiceList{}},
	"GET /api/billing/invoices/{id}/pdf": {Summary: "A month's invoice as PDF (numbered the first time it is downloaded)", ContentType: "application/pdf"},
	// Invoices (issue 20, item 9).
	"GET /api/billing/profile": {Summary: "Who my invoices are made out to", Response: billingapi.BillingProfileBody{}},
	"PUT /api/billing/profile": {Summary: "Change who my invoices are made out to", Request: billingapi.BillingProfileRequest{}, Response: billingapi.BillingProfileBody{}},
	"POST /api/billing/topups": {Summary: "Start a PayPal top-up", Request: billingapi.TopupRequest{}, Response: bill.TopupStarted{}, Status: http.StatusCreated,
		Header: []Param{idempotencyKey(false)}, Errors: []string{panel.EIDEMPOTENCYMISMATCH, panel.ERATELIMITED},
		Description:    "Send the buyer to approveUrl; when PayPal sends them back, capture the order.",
		RequestExample: billingapi.TopupRequest{Amount: "25.00"},
		Example:        bill.TopupStarted{OrderID: "5O190127TN364715T", ApproveURL: "https://www.paypal.com/checkoutnow?token=5O190127TN364715T", AmountMinor: 2500}},
	"POST /api/billing/topups/{orderId}/capture": {Summary: "Capture an approved top-up", Response: bill.CaptureResult{}, Errors: []string{panel.ECONFLICT, panel.EPAYMENTREQUIRED},
		Example: bill.CaptureResult{Status: "COMPLETED", Credited: true, BalanceMinor: 6750}},

	"POST /api/webhooks/paypal":     {Summary: "PayPal webhook (signed by PayPal)", Request: json.RawMessage{}, Response: billingapi.WebhookAck{}, Errors: []string{panel.EUNAUTHORIZED, panel.ECONFLICT}},
	"POST /api/webhooks/virtfusion": {Summary: "VirtFusion webhook (bearer token)", Request: json.RawMessage{}, Response: servers.WebhookAck{}, Errors: []string{panel.EUNAUTHORIZED}},

	"POST /api/admin/users/{id}/adjustments": {Summary: "Credit or debit a customer", Request: admin.AdjustmentRequest{}, Response: admin.Adjusted{}, Status: http.StatusCreated, Header: []Param{idempotencyKey(true)}, Errors: []string{panel.EIDEMPOTENCYMISMATCH, panel.ECONFLICT}},
	"PUT /api/admin/packages/{id}/price":     {Summary: "Set a plan's price", Request: admin.PriceRequest{}, Response: admin.PriceBody{}},

	// Resize: package changes and add-ons.
	"POST /api/servers/{id}/resize/preview": {Summary: "What moving to another plan would cost and do", Request: bill.ResizeRequest{}, Response: bill.ResizePreview{}},
	"POST /api/servers/{id}/resize": {Summary: "Move to another plan (upgrades pay this hour's difference now)", Request: bill.ResizeRequest{}, Response: bill.ResizeResult{},
		Header: []Param{idempotencyKey(true)}, Errors: []string{panel.ECONFLICT, panel.EPAYMENTREQUIRED, panel.EIDEMPOTENCYMISMATCH, panel.ESERVERBUSY}},
	"GET /api/servers/{id}/addons":              {Summary: "Backup plan and extra IPv4 addresses", Response: bill.ServerAddons{}},
	"PUT /api/servers/{id}/backup-plan":         {Summary: "Choose or remove the backup plan", Request: bill.BackupPlanRequest{}, Response: bill.ServerAddons{}, Errors: []string{panel.ECONFLICT}},
	"POST /api/servers/{id}/ipv4":               {Summary: "Add an IPv4 address", Response: bill.ServerAddons{}, Status: http.StatusCreated, Errors: []string{panel.ECONFLICT}},
	"DELETE /api/servers/{id}/ipv4/{ip}":        {Summary: "Remove an added IPv4 address", Response: bill.ServerAddons{}, Errors: []string{panel.ECONFLICT}},
	"GET /api/admin/addon-prices":               {Summary: "Prices of backup plans and extra IPv4", Response: panel.AddonPrices{}},
	"PUT /api/admin/backup-plans/{id}/price":    {Summary: "Price a VirtFusion backup plan", Request: changes.BackupPlanPriceRequest{}, Response: panel.AddonPrices{}},
	"DELETE /api/admin/backup-plans/{id}/price": {Summary: "Stop offering a backup plan", Response: panel.AddonPrices{}},
	"PUT /api/admin/ipv4-price":                 {Summary: "Set the extra IPv4 price and per-server maximum", Request: panel.IPv4Price{}, Response: panel.AddonPrices{}},
	// Coupons and auto top-up (issue 19, promo).
	"POST /api/billing/coupons/validate":                 {Summary: "Preview what a promo code gives (does not redeem it)", Request: billingapi.CouponCheckRequest{}, Response: bill.CouponPreview{}},
	"GET /api/billing/auto-topup":                        {Summary: "My auto top-up (saved PayPal account, threshold, amount)", Response: bill.AutoTopupView{}},
	"PUT /api/billing/auto-topup":                        {Summary: "Set my auto top-up threshold and amount", Request: billingapi.AutoTopupRequest{}, Response: bill.AutoTopupView{}, Errors: []string{panel.ECONFLICT}},
	"DELETE /api/billing/auto-topup":                     {Summary: "Remove my saved PayPal account (deleted at PayPal too)", Response: bill.AutoTopupView{}},
	"POST /api/billing/auto-topup/setup":                 {Summary: "Start saving my PayPal account (PayPal approval)", Response: billingapi.VaultStarted{}, Status: http.StatusCreated},
	"POST /api/billing/auto-topup/setup/{token}/confirm": {Summary: "Save the PayPal account I approved", Response: bill.AutoTopupView{}},
	"GET /api/admin/coupons":                             {Summary: "Promo codes with their counters", Response: admin.CouponList{}},
	"POST /api/admin/coupons":                            {Summary: "Create a promo code", Request: admin.CouponRequest{}, Response: admin.CouponBody{}, Status: http.StatusCreated, Errors: []string{panel.ECONFLICT}},
	"PATCH /api/admin/coupons/{code}":                    {Summary: "Disable or enable a promo code", Request: admin.CouponPatch{}, Response: admin.CouponBody{}},
	"GET /api/admin/coupons/{code}/redemptions":          {Summary: "A promo code's redemptions", Response: admin.RedemptionList{}},
	// Operator console (admin-ops).
	"GET /api/settings":       {Summary: "How the company presents itself, and the announcement (public; cached 60 s)", Response: panel.PublicSettings{}},
	"GET /api/admin/settings": {Summary: "The run-time settings in force and their defaults", Response: adminops.SettingsView{}},
	"PUT /api/admin/settings": {Summary: "Change the run-time settings (every function within 60 s)", Request: adminops.SettingsRequest{}, Response: adminops.SettingsView{}, Errors: []string{panel.ECONFLICT}},
	"GET /api/admin/topups": {Summary: "PayPal top-ups, newest first", Response: panel.Page[adminops.AdminTopup]{},
		Query: []Param{cursor, {Name: "status", Description: "created, pending, credited or denied"}, {Name: "user", Description: "a customer's id"}}},
	"POST /api/admin/topups/{id}/refunds": {Summary: "Refund a top-up through PayPal (full or partial) and debit the wallet once", Request: adminops.RefundRequest{}, Response: bill.Refunded{},
		Status: http.StatusCreated, Header: []Param{idempotencyKey(true)}, Errors: []string{panel.ECONFLICT, panel.EUPSTREAM}},
	// Admin overview (issue 20, item 10).
	"GET /api/admin/overview":                 {Summary: "The console's front page: users, this month's revenue, failed payments and builds, open tickets (counted at most once a minute)", Response: panel.AdminOverview{}},
	"GET /api/admin/revenue":                  {Summary: "Revenue by month from the ledger's month totals", Response: adminops.Revenue{}, Query: []Param{{Name: "months", Description: "1 to 36, default 12"}}},
	"GET /api/admin/revenue/csv":              {Summary: "Revenue by month as CSV", ContentType: "text/csv", Query: []Param{{Name: "months", Description: "1 to 36, default 12"}}},
	"GET /api/admin/packages":                 {Summary: "VirtFusion packages with their prices and the servers on them", Response: adminops.PackageList{}},
	"DELETE /api/admin/packages/{id}/price":   {Summary: "Take a plan off sale (running servers keep their price)"},
	"PUT /api/admin/packages/{id}/visibility": {Summary: "Hide a priced plan from ordering, or offer it again", Request: adminops.VisibilityRequest{}, Response: adminops.VisibilityBody{}},
}

// Operator console: users, servers and audit (issue 16).
var consoleOps = map[string]Op{
	"GET /api/admin/users": {Summary: "Find users (indexed search, filters, paging)", Response: panel.Page[admin.ConsoleUser]{},
		Query: []Param{cursor, limit, {Name: "q", Description: "Prefix of an email, its local part or domain, a word of the name, or the user id (2+ characters)."},
			{Name: "role", Description: "customer or admin"}, {Name: "blocked", Description: "true or false"},
			{Name: "negative", Description: "true: only balances below zero, most negative first"},
			{Name: "sort", Description: "created (default) or -created"}}},
	"GET /api/admin/users/{id}":               {Summary: "One user: balance, servers, ledger, sessions, activity, notifications", Response: admin.ConsoleUserDetail{}},
	"GET /api/admin/users/{id}/transactions":  {Summary: "A user's ledger, a page at a time", Response: panel.Page[*panel.LedgerEntry]{}, Query: []Param{cursor, limit}},
	"GET /api/admin/users/{id}/activity":      {Summary: "A user's activity, a page at a time", Response: panel.Page[admin.AdminAuditEntry]{}, Query: []Param{cursor, limit}},
	"GET /api/admin/users/{id}/notifications": {Summary: "A user's notifications, a page at a time", Response: panel.Page[*panel.Delivery]{}, Query: []Param{cursor, limit}},
	"POST /api/admin/users/{id}/block": {Summary: "Block or unblock a user (Auth0 blocked; blocking ends sessions and API tokens)",
		Request: admin.BlockRequest{}, Response: admin.Blocked{}, Errors: []string{panel.ECONFLICT, panel.EUPSTREAM}},
	"PUT /api/admin/users/{id}/role": {Summary: "Change a user's role (ends their sessions)", Request: admin.RoleRequest{}, Response: admin.ConsoleUserBody{}, Errors: []string{panel.ECONFLICT}},
	"POST /api/admin/users/{id}/virtfusion-link": {Summary: "Link an existing VirtFusion user to a panel user", Request: admin.LinkRequest{}, Response: admin.ConsoleUserBody{},
		Errors: []string{panel.ECONFLICT, panel.EUPSTREAM}},
	"POST /api/admin/users/{id}/password-reset": {Summary: "Mail the user a password-reset link", Response: admin.Done{}, Errors: []string{panel.EUPSTREAM}},
	"DELETE /api/admin/users/{id}": {Summary: "Delete a user (Auth0 and VirtFusion users, personal data; the ledger stays)", Request: admin.DeleteUserRequest{},
		Status: http.StatusNoContent, Errors: []string{panel.ECONFLICT, panel.EUPSTREAM}},
	"GET /api/admin/servers": {Summary: "Every server across customers (VirtFusion and billing)", Response: admin.ConsoleServerList{},
		Query: []Param{cursor, limit, {Name: "state", Description: "complete, building or gone"}, {Name: "package", Description: "package id"},
			{Name: "location", Description: "hypervisor id"}, {Name: "owner", Description: "panel user id"},
			{Name: "suspended", Description: "true or false"}, {Name: "unbilled", Description: "true or false"},
			{Name: "sort", Description: "id, name or created; - for descending (default -id)"}}},
	"POST /api/admin/servers/{id}/power":     {Summary: "Power action on any server", Request: admin.ConsolePowerRequest{}, Response: admin.Done{}, Status: http.StatusAccepted, Errors: []string{panel.EUPSTREAM}},
	"PUT /api/admin/servers/{id}/suspension": {Summary: "Suspend or unsuspend any server", Request: admin.SuspensionRequest{}, Response: admin.Done{}, Errors: []string{panel.EUPSTREAM}},
	"DELETE /api/admin/servers/{id}":         {Summary: "Delete any server (billing stops)", Request: admin.DeleteServerRequest{}, Status: http.StatusNoContent, Errors: []string{panel.EUPSTREAM}},
	"POST /api/admin/servers/{id}/transfer": {Summary: "Give a server to another customer (VirtFusion owner and billing record)", Request: admin.TransferRequest{},
		Response: admin.Transferred{}, Errors: []string{panel.ECONFLICT, panel.EUPSTREAM}},
	"GET /api/admin/audit": {Summary: "Admin actions and sign-ins across customers", Response: panel.Page[admin.AdminAuditEntry]{},
		Query: []Param{cursor, limit, {Name: "actor", Description: "user id or email of whoever acted"}, {Name: "user", Description: "user id or email whose log"},
			{Name: "action", Description: "action prefix, e.g. admin. or auth.signin"}, {Name: "target", Description: "exact target, e.g. server:12"},
			{Name: "from", Description: "date or RFC 3339 time (inclusive)"}, {Name: "to", Description: "date (inclusive) or RFC 3339 time"}}},
}

func init() {
	for _, ops := range []map[string]Op{consoleOps, ticketOps, ops2Ops} {
		for k, v := range ops {
			Ops[k] = v
		}
	}
}

var limit = Param{Name: "limit", Description: "Page size, 1 to 100.", Schema: map[string]any{"type": "integer", "minimum": 1, "maximum": 100}}

// ticketOps documents the support routes (issue 15).
var ticketOps = map[string]Op{
	"GET /api/tickets": {Summary: "My support tickets, latest activity first", Response: panel.Page[*panel.Ticket]{},
		Query: []Param{{Name: "status", Schema: enum(panel.TicketStatuses)}, cursor}},
	"POST /api/tickets": {Summary: "Open a support ticket", Request: tickets.NewTicketRequest{}, Response: tickets.Thread{},
		Status: http.StatusCreated, Errors: []string{panel.ERATELIMITED}},
	"GET /api/tickets/unread":         {Summary: "How many of my tickets have a reply I have not read", Response: tickets.Unread{}},
	"GET /api/tickets/{id}":           {Summary: "One of my tickets with its messages (marks it read)", Response: tickets.Thread{}},
	"POST /api/tickets/{id}/messages": {Summary: "Write in my ticket", Request: tickets.MessageRequest{}, Response: tickets.Thread{}, Status: http.StatusCreated, Errors: []string{panel.ECONFLICT}},
	"POST /api/tickets/{id}/close":    {Summary: "Close my ticket", Response: panel.Ticket{}},
	"POST /api/tickets/{id}/reopen":   {Summary: "Reopen my ticket", Response: panel.Ticket{}},
	"GET /api/admin/tickets": {Summary: "The support queue, latest activity first", Response: panel.Page[*panel.Ticket]{},
		Query: []Param{{Name: "status", Description: "Default open.", Schema: enum(panel.TicketStatuses)},
			{Name: "category", Schema: enum(panel.TicketCategories)}, {Name: "priority", Schema: enum(panel.TicketPriorities)},
			{Name: "assignee", Description: "me, none or a user id."},
			{Name: "waitingOn", Schema: enum([]string{panel.WaitingOnStaff, panel.WaitingOnCustomer})}, cursor}},
	"GET /api/admin/tickets/{id}":           {Summary: "A ticket with its messages and internal notes", Response: tickets.Thread{}},
	"PATCH /api/admin/tickets/{id}":         {Summary: "Change a ticket's status, priority or assignee (audited)", Request: tickets.ChangeRequest{}, Response: panel.Ticket{}},
	"POST /api/admin/tickets/{id}/messages": {Summary: "Reply to a ticket, or add an internal note", Request: tickets.StaffMessageRequest{}, Response: tickets.Thread{}, Status: http.StatusCreated},
	"POST /api/admin/tickets/{id}/draft": {Summary: "Draft a reply with AI (Gemini); nothing is sent", Response: panel.Draft{},
		Errors: []string{panel.EUNAVAILABLE, panel.ETIMEOUT, panel.ERATELIMITED, panel.EUPSTREAM}},
	"GET /api/admin/tickets/{id}/context":   {Summary: "The ticket's customer: balance, servers, activity, payments", Response: tickets.CustomerContext{}},
	"GET /api/admin/canned-replies":         {Summary: "Canned replies", Response: tickets.CannedList{}},
	"POST /api/admin/canned-replies":        {Summary: "Add a canned reply", Request: tickets.CannedRequest{}, Response: panel.CannedReply{}, Status: http.StatusCreated},
	"PUT /api/admin/canned-replies/{id}":    {Summary: "Change a canned reply", Request: tickets.CannedRequest{}, Response: panel.CannedReply{}},
	"DELETE /api/admin/canned-replies/{id}": {Summary: "Delete a canned reply"},
}

func enum(values []string) map[string]any { return map[string]any{"type": "string", "enum": values} }

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

// Operator console: billing runs, webhook deliveries, search index (ops2).
var ops2Ops = map[string]Op{
	"GET /api/admin/billing/runs":  {Summary: "The billing runs' summaries, newest first", Response: panel.Page[panel.BillingRun]{}, Query: []Param{cursor, limit}},
	"POST /api/admin/billing/runs": {Summary: "Re-run billing up to an hour (charges nothing twice)", Request: adminops.RerunRequest{}, Response: adminops.RerunResult{}},
	"GET /api/admin/webhooks": {Summary: "PayPal and VirtFusion webhook deliveries, newest first (30 days; payloads redacted)", Response: panel.Page[panel.WebhookDelivery]{},
		Query: []Param{cursor, {Name: "source", Description: "paypal or virtfusion"}, {Name: "state", Description: "processed, failed or ignored"}, {Name: "type", Description: "exact event type"}}},
	"POST /api/admin/webhooks/{source}/{id}/reprocess": {Summary: "Process a stored webhook event again (idempotent)", Response: adminops.Reprocessed{},
		Errors: []string{panel.ECONFLICT, panel.EUNAVAILABLE}},
	"POST /api/admin/users/search-index": {Summary: "Write every user's search terms (users made before the index; idempotent)", Response: adminops.Reindexed{}},
}
