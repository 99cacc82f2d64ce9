package panel

import (
	"context"
	"net/http"
	"time"
)

// Ledger entry types. Credits are positive amounts, debits negative.
const (
	EntryTopup      = "topup"      // a PayPal payment credited
	EntryCharge     = "charge"     // an hour of a server, or an order's first hour
	EntryRefund     = "refund"     // a PayPal refund of a top-up (debit)
	EntryReversal   = "reversal"   // a chargeback/denial (debit) or an undone charge (credit)
	EntryAdjustment = "adjustment" // an administrator's correction, either sign
)

// ValidEntryType reports whether t is a ledger entry type.
func ValidEntryType(t string) bool {
	switch t {
	case EntryTopup, EntryCharge, EntryRefund, EntryReversal, EntryAdjustment, EntryPromo:
		return true
	}
	return false
}

// LedgerEntry is one change of a customer's balance. The balance always
// equals the sum of the customer's entries.
type LedgerEntry struct {
	ID                string    `json:"id"`
	UserID            string    `json:"-"`
	Type              string    `json:"type" enum:"topup,charge,refund,reversal,adjustment,promo"`
	AmountMinor       int64     `json:"amountMinor"`
	BalanceAfterMinor int64     `json:"balanceAfterMinor"`
	Currency          string    `json:"currency"`
	Description       string    `json:"description"`
	CreatedAt         time.Time `json:"createdAt"`
	Ref               string    `json:"ref"`             // what caused it: capture id, server id, …
	Actor             string    `json:"actor,omitempty"` // the administrator, for adjustments
}

// Balance is a customer's wallet. Version increases with every entry.
type Balance struct {
	UserID       string
	BalanceMinor int64
	Currency     string
	Version      int64 // 0 when the customer has no entry yet
}

// Posting asks for one ledger entry. IdemKey names the event that causes
// it (for example CHARGE#<server>#<hour>); a second posting with the same
// key changes nothing.
type Posting struct {
	UserID      string
	Type        string
	AmountMinor int64
	Currency    string
	Description string
	Ref         string
	Actor       string
	IdemKey     string
	At          time.Time
	// Expect, when set, is the balance the caller believes is current; it
	// saves a read and is refreshed on a version conflict.
	Expect *Balance
	// RequireBalanceMinor, when > 0, is what the balance must be at least
	// before the posting, as a condition of its write (the prepay rule of
	// an order); EPAYMENTREQUIRED otherwise.
	RequireBalanceMinor int64
	// Fingerprint, when set, identifies the request behind IdemKey: a
	// second posting with the key and another fingerprint gets
	// EIDEMPOTENCYMISMATCH instead of the earlier entry.
	Fingerprint string
	// Notify are messages queued in the posting's own transaction, so they
	// exist exactly when the movement does. Their ids must derive from
	// IdemKey's identity: a replay is refused by the idempotency record
	// first, and never queues a second message.
	Notify []Notification
}

// EntryFilter selects ledger entries; zero fields select everything.
type EntryFilter struct {
	Type   string
	From   time.Time // inclusive
	To     time.Time // exclusive
	Cursor string
	Limit  int
}

// MonthTotals sums one calendar month (UTC) of a customer's ledger.
type MonthTotals struct {
	Month        string // 2026-11
	CreditsMinor int64  // sum of positive entries
	ChargesMinor int64  // sum of negative entries, as a positive number
}

// Top-up statuses.
const (
	TopupCreated  = "created"  // PayPal order created, payer not back yet
	TopupPending  = "pending"  // captured but PayPal holds the money
	TopupCredited = "credited" // the wallet was credited
	TopupDenied   = "denied"   // PayPal denied the capture
)

// Topup is a PayPal payment into a wallet. ID is sent to PayPal as
// custom_id, so every capture and webhook maps back to it.
type Topup struct {
	ID            string
	UserID        string
	OrderID       string
	AmountMinor   int64
	Currency      string
	Status        string
	CaptureID     string
	CreditedMinor int64 // what was credited
	DebitedMinor  int64 // refunded or reversed since
	CreatedAt     time.Time
	// Coupon is the promo code whose bonus is credited with the top-up.
	Coupon string
	// Auto marks a merchant-initiated auto top-up.
	Auto bool
}

// Billed server statuses.
const (
	BilledActive  = "active"
	BilledStopped = "stopped"
)

// BilledServer is the billing state of one ordered server: who pays, how
// much, and up to when it has been charged. Hours are charged when they
// start: BilledThrough is the end of the last charged hour.
type BilledServer struct {
	ServerID        int64
	UserID          string
	VFUserID        int64
	Name            string
	PackageID       int64
	HourlyMinor     int64
	MonthlyCapMinor int64 // 0 means no cap
	Currency        string
	ActiveSince     time.Time
	BilledThrough   time.Time
	CapMonth        string // the month CapChargedMinor counts
	CapChargedMinor int64
	Status          string
	StoppedAt       time.Time
	StopReason      string
	Suspended       bool // suspended by billing for a negative balance
	CreatedAt       time.Time
	// Rev counts the changes of price and add-ons; a charge is written on
	// the condition that it is still the one the charge was priced by.
	Rev int64
	// Hours before PriceFrom are charged at PrevHourlyMinor and capped at
	// PrevCapMinor: a package change takes effect at an hour boundary.
	PriceFrom       time.Time
	PrevHourlyMinor int64
	PrevCapMinor    int64
	// Resize is the package change in progress, if any.
	Resize *PendingResize
	// Add-ons, charged each hour with the server as lines of their own.
	BackupPlanID      int64
	BackupHourlyMinor int64
	IPv4Count         int64    // extra addresses charged (assigned or being assigned)
	IPv4Extra         []string // the extra addresses VirtFusion assigned
	IPv4HourlyMinor   int64    // per extra address
	// Hours before AddonsFrom are charged with the Prev* add-ons: the
	// hour in which add-ons change is charged with the add-ons in effect
	// at its start, the new ones from the next hour (no pro-rata).
	AddonsFrom            time.Time
	PrevBackupPlanID      int64
	PrevBackupHourlyMinor int64
	PrevIPv4Count         int64
	PrevIPv4HourlyMinor   int64
}

// AddonsHourlyMinor is what the server's add-ons cost an hour.
func (s *BilledServer) AddonsHourlyMinor() int64 {
	return s.BackupHourlyMinor + s.IPv4Count*s.IPv4HourlyMinor
}

// HourCharge is the charge of one server-hour.
type HourCharge struct {
	HourStart   time.Time
	AmountMinor int64 // after the monthly cap; may be 0
	CapMonth    string
	CapCharged  int64 // the month's total after this hour
	// Addons are the hour's add-on lines (backup plan, extra IPv4), each
	// a ledger entry of its own; none is zero.
	Addons []AddonCharge
}

// AddonCharge is one add-on line of a server-hour.
type AddonCharge struct {
	Kind        string // "backup" or "ipv4"
	AmountMinor int64
	Description string
}

// ServerCharge is one server's due hours for LedgerStore.ChargeHours.
type ServerCharge struct {
	Server *BilledServer
	Hours  []HourCharge // consecutive, starting at Server.BilledThrough
	// Postings[i] is the ledger entry of Hours[i]; none is written for a
	// zero (capped) amount.
	Postings []Posting
}

// WebhookEventRecord is a stored PayPal webhook event.
type WebhookEventRecord struct {
	ID          string
	Type        string
	Processed   bool
	ProcessedAt time.Time
	Attempts    int
	LastError   string
}

// Order statuses (POST /api/servers idempotency records).
const (
	OrderPending = "pending"
	OrderDone    = "done"
	OrderFailed  = "failed"
)

// ServerOrder is the idempotency record of one POST /api/servers.
type ServerOrder struct {
	UserID       string
	Key          string // the Idempotency-Key header
	RequestHash  string
	Status       string
	ServerID     int64
	Result       []byte // the 201 body, replayed verbatim (without the password)
	RootPassword string // replayed only until PasswordUntil
	PasswordTill time.Time
	Error        string
	CreatedAt    time.Time
	// Notify are messages queued with this update of the order (not
	// stored on it). One queued before is not queued again.
	Notify []Notification
}

// LedgerStore keeps wallets, the ledger, top-ups, prices, billed servers,
// orders and PayPal webhook events. Every money movement is one atomic
// write of the entry, the balance (version-checked) and an idempotency
// record. Methods return ENOTFOUND for missing items; a write whose
// idempotency key was used returns applied=false and the earlier entry.
// Every write that moves money refuses (EAMOUNTRANGE) an amount beyond
// MaxAmountMinor or a balance it would leave beyond ±MaxBalanceMinor.
type LedgerStore interface {
	// Balance returns the wallet (zero, version 0, when it does not exist).
	Balance(ctx context.Context, userID string) (*Balance, error)
	// Balances returns the wallets of userIDs, one per id (zero when it
	// does not exist), in as few reads as the store allows.
	Balances(ctx context.Context, userIDs []string) (map[string]*Balance, error)
	// Post applies p once. EPAYMENTREQUIRED when p.RequireBalanceMinor is
	// not met, EIDEMPOTENCYMISMATCH when the key was used with another
	// fingerprint.
	Post(ctx context.Context, p Posting) (e *LedgerEntry, applied bool, err error)
	// ServerCharges sums (as a positive number) the charges of a server
	// since a time, read consistently: what undoing its order refunds.
	ServerCharges(ctx context.Context, userID string, serverID int64, since time.Time) (int64, error)
	// Entries lists a customer's entries newest first.
	Entries(ctx context.Context, userID string, f EntryFilter) ([]*LedgerEntry, string, error)
	// Statements returns the per-month totals, oldest first.
	Statements(ctx context.Context, userID string) ([]MonthTotals, error)

	// CreateTopup stores a new top-up. ECONFLICT if the id is taken.
	CreateTopup(ctx context.Context, t *Topup) error
	// SetTopupOrder records the PayPal order of a top-up.
	SetTopupOrder(ctx context.Context, topupID, orderID string) error
	// Topup returns a top-up by id; TopupByOrder by PayPal order id.
	Topup(ctx context.Context, id string) (*Topup, error)
	TopupByOrder(ctx context.Context, orderID string) (*Topup, error)
	// CreditTopup credits a top-up's capture once. It applies nothing
	// (applied=false) when the capture was credited or the top-up denied.
	CreditTopup(ctx context.Context, topupID, captureID string, p Posting) (*LedgerEntry, bool, error)
	// DebitTopup debits a refund, reversal or denial of a credited top-up
	// once; newStatus, when set, becomes the top-up's status. ECONFLICT
	// when the top-up is not credited yet or the debit exceeds the credit.
	DebitTopup(ctx context.Context, topupID, newStatus string, p Posting) (*LedgerEntry, bool, error)
	// MarkTopup sets the status of a top-up that was not credited
	// (pending, denied). ECONFLICT when it was credited meanwhile.
	MarkTopup(ctx context.Context, topupID, status, captureID string) error
	// ClaimTopupKey binds a customer's Idempotency-Key to requestHash and
	// topupID, or returns the top-up id the key was bound to before.
	// EIDEMPOTENCYMISMATCH when the key was used with another requestHash
	// (the comparison is the write's condition).
	ClaimTopupKey(ctx context.Context, userID, key, requestHash, topupID string) (boundTopupID string, err error)
	// TopupByCapture follows the pointer CreditTopup and MarkTopup keep
	// from a PayPal capture id to its top-up. ENOTFOUND when none.
	TopupByCapture(ctx context.Context, captureID string) (*Topup, error)

	// SetPrice sets a package's price; Prices lists every price.
	SetPrice(ctx context.Context, packageID int64, p Price) error
	Prices(ctx context.Context) (map[int64]Price, error)

	// StartServer stores a billed server and charges its first hour in one
	// write. ECONFLICT if the server is already billed; EPAYMENTREQUIRED
	// when p.RequireBalanceMinor is not met.
	StartServer(ctx context.Context, s *BilledServer, first HourCharge, p Posting) (*LedgerEntry, error)
	// ChargeHours charges due server-hours, moving each server's
	// BilledThrough in the same write as its charges, so a server-hour is
	// charged once. Servers are updated in place as they are charged. bals
	// holds customers' balances by user id as in Posting.Expect: missing
	// ones are read and added, all are kept current. ECONFLICT when a
	// server changed (stopped, or charged by someone else); what was
	// written before stays written.
	ChargeHours(ctx context.Context, bals map[string]*Balance, charges []ServerCharge) error
	// BilledServer returns one server's billing state.
	BilledServer(ctx context.Context, id int64) (*BilledServer, error)
	// ActiveServers lists every active billed server.
	ActiveServers(ctx context.Context) ([]*BilledServer, error)
	// UserServers lists a customer's billed servers (active and stopped).
	UserServers(ctx context.Context, userID string) ([]*BilledServer, error)
	// StopServer stops billing; changed=false when it was stopped already.
	StopServer(ctx context.Context, id int64, at time.Time, reason string) (s *BilledServer, changed bool, err error)
	// StopServerWith is StopServer that queues notify in the same write
	// when it stops the server.
	StopServerWith(ctx context.Context, id int64, at time.Time, reason string, notify []Notification) (s *BilledServer, changed bool, err error)
	// SetSuspended records whether billing suspended the server.
	SetSuspended(ctx context.Context, id int64, suspended bool) error

	// ClaimOrder stores a pending order under its key, or returns the
	// stored one with fresh=false.
	ClaimOrder(ctx context.Context, o *ServerOrder) (stored *ServerOrder, fresh bool, err error)
	// UpdateOrder saves an order's progress.
	UpdateOrder(ctx context.Context, o *ServerOrder) error
	// ReleaseOrder forgets a pending order whose every effect was undone,
	// so the key may be used again.
	ReleaseOrder(ctx context.Context, userID, key string) error

	// RecordWebhookEvent stores a raw PayPal event once and claims its
	// processing for lease. It returns the stored record and whether the
	// caller now holds the claim.
	RecordWebhookEvent(ctx context.Context, id, eventType string, raw []byte, now time.Time, lease time.Duration) (*WebhookEventRecord, bool, error)
	// FinishWebhookEvent marks a claimed event processed, or releases the
	// claim and records the failure when procErr is not nil.
	FinishWebhookEvent(ctx context.Context, id string, now time.Time, procErr error) error
	// WebhookEvent returns a stored event's record.
	WebhookEvent(ctx context.Context, id string) (*WebhookEventRecord, error)

	DunningStore
	ServerChangeStore
}

// PaymentOrder is a PayPal order as billing sees it.
type PaymentOrder struct {
	ID          string
	Status      string // CREATED, APPROVED, COMPLETED, …
	ApproveURL  string
	AmountMinor int64
	Currency    string
	CustomID    string
	Captures    []PaymentCapture
}

// PaymentCapture is money PayPal captured (or is holding).
type PaymentCapture struct {
	ID          string
	Status      string // COMPLETED, PENDING, DECLINED, REFUNDED, PARTIALLY_REFUNDED
	AmountMinor int64
	Currency    string
	CustomID    string
	OrderID     string
}

// PaymentEventKind is what a payment provider's event means to billing;
// the provider's adapter translates its own event names into these.
type PaymentEventKind string

// The payment event kinds billing acts on; any other event is
// PaymentEventOther (stored and acknowledged).
const (
	PaymentCaptureChanged PaymentEventKind = "capture_changed" // completed, pending, denied or declined
	PaymentRefunded       PaymentEventKind = "refunded"
	PaymentReversed       PaymentEventKind = "reversed" // a chargeback
	PaymentOrderApproved  PaymentEventKind = "order_approved"
	PaymentEventOther     PaymentEventKind = "other"
)

// PaymentEvent is a verified PayPal webhook event.
type PaymentEvent struct {
	ID   string
	Type string // the provider's own name, for records and logs
	Kind PaymentEventKind
	// Exactly one of these is set, by the event's resource type.
	Capture *PaymentCapture
	Refund  *PaymentRefund
	Order   *PaymentOrder
}

// PaymentRefund is a refund or reversal of a capture. Real refund
// resources carry no custom id: the capture is the way back to a top-up.
type PaymentRefund struct {
	ID          string
	Status      string // COMPLETED, PENDING, FAILED, CANCELLED
	CaptureID   string
	AmountMinor int64
	Currency    string
	CustomID    string
}

// Payments is the part of PayPal billing uses.
type Payments interface {
	// CreateOrder opens an order for amountMinor; requestID makes retries safe.
	CreateOrder(ctx context.Context, amountMinor int64, currency, customID, returnURL, cancelURL, requestID string) (*PaymentOrder, error)
	// CaptureOrder captures an approved order. An order captured before
	// returns its existing captures. EPAYMENTREQUIRED when not approved.
	CaptureOrder(ctx context.Context, orderID, requestID string) (*PaymentOrder, error)
	// VerifyWebhook checks a delivery's signature and freshness and parses
	// it. EUNAUTHORIZED for forged, stale or badly certified deliveries.
	// The signature covers only a CRC32 of the body: confirm what an event
	// says with GetCapture or GetRefund before moving money.
	VerifyWebhook(ctx context.Context, h http.Header, raw []byte) (*PaymentEvent, error)
	// GetCapture and GetRefund read a capture or refund from PayPal.
	// ENOTFOUND when PayPal has no such id.
	GetCapture(ctx context.Context, id string) (*PaymentCapture, error)
	GetRefund(ctx context.Context, id string) (*PaymentRefund, error)
	// RefundCapture refunds amountMinor of a capture (0: what is left);
	// requestID makes a retry answer the same refund. EINVALID or
	// ECONFLICT when PayPal refuses (already refunded, too much).
	RefundCapture(ctx context.Context, captureID string, amountMinor int64, currency, requestID string) (*PaymentRefund, error)
}

// TopupFilter narrows the administrators' list of top-ups.
type TopupFilter struct {
	Status string // one of the Topup* statuses; "" for all
	UserID string // "" for all
	Cursor string
	Limit  int
}

// MonthRevenue is one month of every customer's ledger, by entry type
// (minor units; refunds and reversals negative, adjustments either sign).
type MonthRevenue struct {
	Month            string `json:"month"` // yyyy-mm
	CreditsMinor     int64  `json:"creditsMinor"`
	ChargesMinor     int64  `json:"chargesMinor"`
	TopupsMinor      int64  `json:"topupsMinor"`
	RefundsMinor     int64  `json:"refundsMinor"`
	ReversalsMinor   int64  `json:"reversalsMinor"`
	AdjustmentsMinor int64  `json:"adjustmentsMinor"`
	Customers        int    `json:"customers"`
}

// ServerSpec is what an order asks VirtFusion to create and build.
type ServerSpec struct {
	VFUserID   int64
	PackageID  int64
	LocationID int64
	TemplateID int64
	Hostname   string
	Name       string
	SSHKeyIDs  []int64
}

// ServerHost is the part of VirtFusion billing and ordering use.
type ServerHost interface {
	// CreateServer allocates (or with dryRun only validates) a server.
	CreateServer(ctx context.Context, spec ServerSpec, dryRun bool) (id int64, err error)
	// BuildServer installs the OS and returns the server and its root password.
	BuildServer(ctx context.Context, id int64, spec ServerSpec) (*Server, string, error)
	// DeleteServer deletes a server now; a missing server is not an error.
	DeleteServer(ctx context.Context, id int64) error
	// Suspend and Unsuspend change a server's suspension. ENOTFOUND when gone.
	Suspend(ctx context.Context, id int64) error
	Unsuspend(ctx context.Context, id int64) error
	// ServerName returns a server's current name. ENOTFOUND when gone.
	ServerName(ctx context.Context, id int64) (string, error)
	// UserServerIDs lists the ids of a VirtFusion user's servers.
	UserServerIDs(ctx context.Context, vfUserID int64) ([]int64, error)
	// BuildState returns a server's provisioning state (Provision*).
	// ENOTFOUND when gone.
	BuildState(ctx context.Context, id int64) (string, error)
	// HasPackage reports whether VirtFusion has the package.
	HasPackage(ctx context.Context, id int64) (bool, error)
}

// Idempotency key namespaces of money movements (the IdemKey of a ledger
// posting is one of these plus ids). internal/dynamo's key registry
// checks that none is another's prefix, so two movements cannot share a key.
const (
	IdemAdjust        = "ADJUST#"    // + user id + "#" + the admin's key
	IdemOrderUndo     = "ORDERUNDO#" // + server id: refund of a failed order
	IdemCapture       = "CAPTURE#"   // + capture id: a top-up's credit
	IdemCaptureDenied = "DENIED#"    // + capture id: a credit taken back
	IdemRefund        = "REFUND#"    // + refund id
	IdemReversal      = "REVERSAL#"  // + refund id of a chargeback
)
