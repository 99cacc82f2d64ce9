package dynamo

// Every key prefix and fixed key value of the one table, in one place.
// Items are told apart by these alone, so keysTest checks that no two can
// collide: within one key attribute, no value is another's prefix (a
// begins_with query, or the stream's prefix filter, would match both).

// Partition keys (PK). Prefixes end in "#" and are followed by an id.
const (
	pkUser      = "USER#"      // profile, balance, ledger, statements, order and top-up keys, notification preferences
	pkSession   = "SESSION#"   // a signed-in session
	pkRate      = "RATE#"      // a rate-limit window: RATE#<key>#<window>
	pkAudit     = "AUDIT#"     // a customer's activity log
	pkIdem      = "IDEM#"      // idempotency record of a money movement
	pkTopup     = "TOPUP#"     // a PayPal top-up
	pkPPOrder   = "PPORDER#"   // PayPal order → top-up
	pkPPCapture = "PPCAPTURE#" // PayPal capture → top-up
	pkPPEvent   = "PPEVENT#"   // a raw PayPal webhook event
	pkServer    = "SERVER#"    // a billed server
	pkSnapshot  = "SRVSNAP#"   // the last known view of a server
	pkVFEvent   = "VFEVENT#"   // a VirtFusion webhook event
	// OutboxPKPrefix starts the partition key of every outbox item; the stream
	// that invokes the notify function filters on it (routes.Streams).
	OutboxPKPrefix = "OUTBOX#"
	pkPrices       = "PRICES"    // fixed: the price book
	pkAPIToken     = "APITOKEN#" // a personal API token, by its hash
	// StatusMessagePK is the one status message item (fixed).
	StatusMessagePK = "STATUS#message"
	// JobRunPKPrefix + job name is a job's latest run.
	JobRunPKPrefix = "JOBRUN#"
	// MetricsPKPrefix + server id holds a server's metrics samples.
	MetricsPKPrefix = "METRICS#"
	// AlertRulesPK is the one partition of every customer alert rule (fixed).
	AlertRulesPK = "ALERTRULES"
	// Coupons and auto top-up (issue 19, promo).
	pkCoupon = "COUPON#" // a promo code: META, uses, redemptions
	// Support tickets (issue 15).
	pkTicket = "TICKET#" // a ticket and its messages
	pkCanned = "CANNED"  // fixed: the canned replies
	// Operator console (admin-ops).
	pkSettings = "SETTINGS" // fixed: the administrators' settings (SK META)
	// Firewall (issue 19, fw).
	pkFirewall = "FIREWALL" // fixed: presets and each interface's last change
	// Invoices (issue 20, item 9).
	pkInvoiceCounter = "INVCOUNTER" // fixed: the invoice number sequence (SK META)
	// Operator console: billing runs and webhook deliveries (ops2).
	pkBillingRuns = "BILLRUNS" // fixed: the billing runs' summaries
	pkWebhookLog  = "WHLOG#"   // WHLOG#<source>#<delivery id>: one webhook delivery
)

// Sort keys (SK).
const (
	skMeta        = "META"        // the one item of a partition
	skProfile     = "PROFILE"     // USER#: the account
	skBalance     = "BALANCE"     // USER#: the wallet
	skLedger      = "LEDGER#"     // USER#: LEDGER#<ts>#<id>, one ledger entry
	skStmt        = "STMT#"       // USER#: STMT#<yyyy-mm>, month totals
	skOrder       = "ORDER#"      // USER#: ORDER#<key>, POST /api/servers idempotency
	skTopupKey    = "TOPUPKEY#"   // USER#: TOPUPKEY#<key>, POST /api/billing/topups idempotency
	skNotifyPrefs = "NOTIFYPREFS" // USER#: notification preferences
	skIdem        = "IDEM"        // IDEM#
	skDunning     = "DUNNING"     // USER#: the dunning state of a customer
	skSearch      = "SEARCH#"     // USER#: SEARCH#<term>, one search term of the user (GSI1 USEARCH#)
	// StatusMessageSK is the status message's sort key (fixed).
	StatusMessageSK = "CURRENT"
	// JobRunSK is a job run's sort key (fixed).
	JobRunSK  = "LAST"
	skBilling = "BILLING" // SERVER#
	skPackage = "PKG#"    // PRICES: PKG#<id>, a package's price
	// Add-on prices (billing_changes.go).
	skBackupPlanPrice = "BACKUPPLAN#" // PRICES: BACKUPPLAN#<id>, a backup plan's hourly price
	skIPv4Price       = "IPV4"        // PRICES: the extra IPv4 price and per-server maximum
	skAlert           = "ALERT#"      // ALERTRULES: ALERT#<server id, 20 digits>#<rule id>
	// Coupons and auto top-up (issue 19, promo).
	skCouponUse        = "COUPONUSE#"      // COUPON#: COUPONUSE#<uid>, a customer's redemptions
	skCouponRedemption = "REDEMPTION#"     // COUPON#: REDEMPTION#<ts>#<uid>, one redemption
	skFirstOrderPromo  = "FIRSTORDERPROMO" // USER#: the one first-order credit
	skAutoTopup        = "AUTOTOPUP"       // USER#: auto top-up settings and saved PayPal method
	// Support tickets (issue 15).
	skTicketMsg = "MSG#"   // TICKET#: MSG#<time>#<id>, one message or internal note
	skCanned    = "REPLY#" // CANNED: REPLY#<id>, one canned reply
	// Firewall (issue 19, fw).
	skFwPresets = "FWPRESETS" // FIREWALL: the operator's presets
	skFwChange  = "FWCHANGE#" // FIREWALL: FWCHANGE#<server id, 20 digits>#<interface>, the last change
	// Invoices (issue 20, item 9).
	skBillProfile = "BILLPROFILE" // USER#: who the customer's invoices are made out to
	skInvoiceNo   = "INVNO#"      // USER#: INVNO#<yyyy-mm>, the number of that month's invoice
	// Operator console: billing runs (ops2).
	skBillingRun = "RUN#" // BILLRUNS: RUN#<start>#<trigger>, one run's summary
)

// GSI1 partition keys (GSI1PK); sessions use pkUser there (GSI1SK
// gsi1SessionSK...), users EMAIL#.
const (
	gsi1Email         = "EMAIL#"           // a user by email
	gsi1UserServers   = "USERSERVERS#"     // a customer's billed servers
	gsi1PendingEvents = "VFEVENTS#PENDING" // VirtFusion events billing has not accepted
	gsi1OrderCleanups = "ORDERS#CLEANUP"   // failed orders whose undo failed
	gsi1OutboxDue     = "OUTBOX#DUE"       // outbox messages to send
	gsi1OutboxFailed  = "OUTBOX#FAILED"    // outbox messages given up on
	gsi1SessionSK     = "SESSION#"         // GSI1SK of a session under pkUser
	gsi1APITokenSK    = "APITOKEN#"        // GSI1SK of an API token under pkUser
	gsi1UserSearch    = "USEARCH#"         // USEARCH#<first 2 chars of a term> / <term>#<user id>: user search
	gsi1AuditBy       = "AUDITBY#"         // AUDITBY#<actor> / <time>#<id>: audit entries by actor
	gsi1TicketQueue   = "TKQUEUE#"         // the staff queue: TKQUEUE#<status> by last activity
)

// GSI2 partition keys (GSI2PK).
const (
	gsi2Users          = "USERS"           // every user, by creation
	gsi2BillingActive  = "BILLING#ACTIVE#" // active billed servers, sharded
	gsi2VFServerEvents = "VFSERVER#"       // a server's VirtFusion events
	gsi2MailHistory    = "MAIL#"           // a customer's mail history
	gsi2NegBalance     = "NEGBALANCE"      // fixed: balances below zero, most negative first (sparse)
	gsi2AuditDay       = "AUDITLOG#"       // AUDITLOG#<yyyy-mm-dd> / <time>#<id>: every audit entry by day
	gsi2Coupons        = "COUPONS"         // every coupon, by creation
	gsi2AutoTopup      = "AUTOTOPUP#ON"    // customers with auto top-up on
	gsi2UserTickets    = "TKUSER#"         // a customer's tickets by last activity
	gsi2Topups         = "TOPUPS"          // every top-up, by creation (admin-ops)
	gsi2Statements     = "STMTS#"          // STMTS#<yyyy-mm>#<shard>: customers' month totals (admin-ops)
	gsi2WebhookLog     = "WEBHOOKS"        // fixed: webhook deliveries by <received>#<source>#<id> (ops2)
)

// idemCharge starts the idempotency key of an hourly charge; the other
// namespaces of money movements are the panel.Idem* constants.
const idemCharge = "CHARGE#"

// keyValue is one registered prefix or fixed value of a key attribute.
type keyValue struct {
	Attr, Value string
}

// registeredKeys lists every value above by the attribute it is used in.
var registeredKeys = []keyValue{
	{"PK", pkUser}, {"PK", pkSession}, {"PK", pkRate}, {"PK", pkAudit}, {"PK", pkIdem}, {"PK", pkTopup},
	{"PK", pkPPOrder}, {"PK", pkPPCapture}, {"PK", pkPPEvent}, {"PK", pkServer}, {"PK", pkSnapshot},
	{"PK", pkVFEvent}, {"PK", OutboxPKPrefix}, {"PK", pkPrices}, {"PK", pkAPIToken}, {"PK", StatusMessagePK}, {"PK", JobRunPKPrefix}, {"PK", MetricsPKPrefix}, {"PK", AlertRulesPK}, {"PK", pkSettings},
	{"SK", skMeta}, {"SK", skProfile}, {"SK", skBalance}, {"SK", skLedger}, {"SK", skStmt}, {"SK", skOrder},
	{"SK", skTopupKey}, {"SK", skNotifyPrefs}, {"SK", skIdem}, {"SK", skBilling}, {"SK", skPackage}, {"SK", skDunning}, {"SK", skBackupPlanPrice}, {"SK", skIPv4Price}, {"SK", StatusMessageSK}, {"SK", JobRunSK}, {"SK", skSearch}, {"SK", skAlert}, {"PK", pkCoupon}, {"SK", skCouponUse}, {"SK", skCouponRedemption}, {"SK", skFirstOrderPromo}, {"SK", skAutoTopup}, {"GSI2PK", gsi2Coupons}, {"GSI2PK", gsi2AutoTopup},
	{"GSI1PK", gsi1Email}, {"GSI1PK", gsi1UserServers}, {"GSI1PK", gsi1PendingEvents}, {"GSI1PK", gsi1OrderCleanups},
	{"GSI1PK", gsi1OutboxDue}, {"GSI1PK", gsi1OutboxFailed}, {"GSI1PK", pkUser}, {"GSI1PK", gsi1UserSearch}, {"GSI1PK", gsi1AuditBy},
	{"GSI1SK", gsi1SessionSK}, {"GSI1SK", gsi1APITokenSK}, {"GSI1SK", pkUser},
	{"GSI2PK", gsi2Users}, {"GSI2PK", gsi2BillingActive}, {"GSI2PK", gsi2VFServerEvents}, {"GSI2PK", gsi2MailHistory}, {"GSI2PK", gsi2NegBalance}, {"GSI2PK", gsi2AuditDay}, {"PK", pkTicket}, {"PK", pkCanned}, {"SK", skTicketMsg}, {"SK", skCanned}, {"GSI1PK", gsi1TicketQueue}, {"GSI2PK", gsi2UserTickets}, {"GSI2PK", gsi2Topups}, {"GSI2PK", gsi2Statements},
	// Firewall (issue 19, fw).
	{"PK", pkFirewall}, {"SK", skFwPresets}, {"SK", skFwChange}, {"PK", pkInvoiceCounter}, {"SK", skBillProfile}, {"SK", skInvoiceNo}, {"PK", pkBillingRuns}, {"PK", pkWebhookLog}, {"SK", skBillingRun}, {"GSI2PK", gsi2WebhookLog},
}
