package panel

import (
	"slices"
	"strings"
)

// ActivityKind names what an activity (audit) entry records. It is the one
// vocabulary shared by every writer of AuditEntry and by the web UI: the
// OpenAPI document lists ActivityKinds as an enum, and the UI's label map is
// typed against it, so a kind without a label does not compile.
type ActivityKind string

// What a customer did to a server.
const (
	ActServerRename        ActivityKind = "server.rename"
	ActServerPower         ActivityKind = "server.power" // Detail is the action: boot, shutdown, restart, poweroff
	ActServerReinstall     ActivityKind = "server.reinstall"
	ActServerResetPassword ActivityKind = "server.reset_password"
	ActServerConsole       ActivityKind = "server.console"
	ActServerSSO           ActivityKind = "server.sso"
	ActServerResize        ActivityKind = "server.resize"
	ActServerBackupPlan    ActivityKind = "server.backup-plan"
	ActServerIPv4Add       ActivityKind = "server.ipv4-add"
	ActServerIPv4Remove    ActivityKind = "server.ipv4-remove"
	ActAlertCreate         ActivityKind = "server.alert.create"
	ActAlertUpdate         ActivityKind = "server.alert.update"
	ActAlertDelete         ActivityKind = "server.alert.delete"
	ActServerFirewall      ActivityKind = "server.firewall"
)

// What VirtFusion reported about a server (webhooks, actor ActorSystem).
const (
	ActServerCreated     ActivityKind = "server.created"
	ActServerBuilt       ActivityKind = "server.built"
	ActServerBuildFailed ActivityKind = "server.build_failed"
	ActServerSuspended   ActivityKind = "server.suspended"
	ActServerUnsuspended ActivityKind = "server.unsuspended"
	ActServerDeleted     ActivityKind = "server.deleted"
	// ActServerPowerChanged is a power change the panel did not ask for
	// (made in VirtFusion itself); Detail is the action.
	ActServerPowerChanged ActivityKind = "server.power_changed"
	// ActServerEvent is any other VirtFusion event; Detail names it.
	ActServerEvent ActivityKind = "server.event"
)

// The customer's account.
const (
	ActSignIn         ActivityKind = "auth.signin"
	ActAccountErase   ActivityKind = "account.erase"
	ActSSHKeyCreate   ActivityKind = "ssh_key.create"
	ActSSHKeyDelete   ActivityKind = "ssh_key.delete"
	ActAPITokenCreate ActivityKind = "api_token.create"
	ActAPITokenRevoke ActivityKind = "api_token.revoke"
)

// The billing run's dunning steps (actor "billing").
const (
	ActDunningLowBalance        ActivityKind = "billing.dunning.low-balance"
	ActDunningSuspended         ActivityKind = "billing.dunning.suspended"
	ActDunningUnsuspended       ActivityKind = "billing.dunning.unsuspended"
	ActDunningDeletionScheduled ActivityKind = "billing.dunning.deletion-scheduled"
	ActDunningDeleted           ActivityKind = "billing.dunning.deleted"
	ActServerDeletedNonPayment  ActivityKind = "billing.server_deleted_for_non_payment"
)

// Staff actions, in the log of the customer they concern (or the admin's own).
const (
	ActTicketReply            ActivityKind = "ticket.reply"
	ActTicketNote             ActivityKind = "ticket.note"
	ActTicketChange           ActivityKind = "ticket.change"
	ActAdminServerPower       ActivityKind = "admin.server.power"
	ActAdminServerSuspend     ActivityKind = "admin.server.suspend"
	ActAdminServerUnsuspend   ActivityKind = "admin.server.unsuspend"
	ActAdminServerDelete      ActivityKind = "admin.server.delete"
	ActAdminServerTransfer    ActivityKind = "admin.server.transfer"
	ActAdminUserBlock         ActivityKind = "admin.user.block"
	ActAdminUserUnblock       ActivityKind = "admin.user.unblock"
	ActAdminUserRole          ActivityKind = "admin.user.role"
	ActAdminUserLink          ActivityKind = "admin.user.link"
	ActAdminUserPasswordReset ActivityKind = "admin.user.password-reset"
	ActAdminUserDelete        ActivityKind = "admin.user.delete"
	ActAdminUserAdjust        ActivityKind = "admin.user.adjust"
	ActCouponCreate           ActivityKind = "coupon.create"
	ActCouponUpdate           ActivityKind = "coupon.update"
	ActStatusMessageSet       ActivityKind = "status.message.set"
	ActStatusMessageClear     ActivityKind = "status.message.clear"
	ActSettingsUpdate         ActivityKind = "settings.update"
	ActTopupRefund            ActivityKind = "topup.refund"
	ActPackagePriceDelete     ActivityKind = "package.price.delete"
	ActPackageVisibility      ActivityKind = "package.visibility"
	ActFirewallPresets        ActivityKind = "admin.firewall-presets"
	ActBillingRerun           ActivityKind = "billing.rerun"
	ActUsersReindex           ActivityKind = "users.reindex"
	ActWebhookReprocess       ActivityKind = "webhook.reprocess"
)

// ActivityKinds is every kind, in a stable order.
var ActivityKinds = []ActivityKind{
	ActServerRename, ActServerPower, ActServerReinstall, ActServerResetPassword, ActServerConsole, ActServerSSO,
	ActServerResize, ActServerBackupPlan, ActServerIPv4Add, ActServerIPv4Remove, ActAlertCreate, ActAlertUpdate, ActAlertDelete,
	ActServerCreated, ActServerBuilt, ActServerBuildFailed, ActServerSuspended, ActServerUnsuspended, ActServerDeleted,
	ActServerPowerChanged, ActServerEvent,
	ActSignIn, ActAccountErase, ActSSHKeyCreate, ActSSHKeyDelete, ActAPITokenCreate, ActAPITokenRevoke,
	ActDunningLowBalance, ActDunningSuspended, ActDunningUnsuspended, ActDunningDeletionScheduled, ActDunningDeleted,
	ActServerDeletedNonPayment,
	ActTicketReply, ActTicketNote, ActTicketChange,
	ActAdminServerPower, ActAdminServerSuspend, ActAdminServerUnsuspend, ActAdminServerDelete, ActAdminServerTransfer,
	ActAdminUserBlock, ActAdminUserUnblock, ActAdminUserRole, ActAdminUserLink, ActAdminUserPasswordReset,
	ActAdminUserDelete, ActAdminUserAdjust,
	ActCouponCreate, ActCouponUpdate, ActStatusMessageSet, ActStatusMessageClear, ActSettingsUpdate, ActTopupRefund,
	ActPackagePriceDelete, ActPackageVisibility,
	ActServerFirewall, ActFirewallPresets, ActBillingRerun, ActUsersReindex, ActWebhookReprocess,
}

// Known reports whether k is one of ActivityKinds.
func (k ActivityKind) Known() bool { return slices.Contains(ActivityKinds, k) }

// Enum lists the kinds as strings, for the API document.
func (ActivityKind) Enum() []string {
	out := make([]string, len(ActivityKinds))
	for i, k := range ActivityKinds {
		out[i] = string(k)
	}
	return out
}

// DunningActivity is the kind recording a dunning step that notified the
// customer with notification kind n.
func DunningActivity(n NotificationKind) ActivityKind {
	return ActivityKind("billing.dunning." + string(n))
}

// PowerActionOf is the power action of a VirtFusion power event
// ("server.shutdown" → "shutdown"), or "" for other events.
func PowerActionOf(event string) string {
	switch a := strings.TrimPrefix(event, "server."); a {
	case "boot", "shutdown", "restart", "poweroff":
		return a
	}
	return ""
}
