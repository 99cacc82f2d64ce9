package panel

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// Bounds of money, in minor units. Every amount that moves and every
// balance stays inside them, so no sum of a few of them can overflow an
// int64 (the store enforces the balance bound as a condition of the write).
const (
	MaxAmountMinor  = 100_000_000   // one movement: 1,000,000.00
	MaxBalanceMinor = 1_000_000_000 // a balance, either sign: 10,000,000.00
)

// AmountOutOfRange returns the EAMOUNTRANGE error for field (may be "").
func AmountOutOfRange(field, format string, args ...any) *Error {
	e := &Error{Code: EAMOUNTRANGE, Message: fmt.Sprintf(format, args...)}
	if field != "" {
		e.Fields = map[string]string{field: e.Message}
	}
	return e
}

// IdempotencyMismatch is the error for an Idempotency-Key reused with a
// different request.
func IdempotencyMismatch() *Error {
	return &Error{Code: EIDEMPOTENCYMISMATCH, Message: "This Idempotency-Key was used for a different request; use a new key."}
}

// Fingerprint identifies a request by its meaningful content (its JSON
// encoding, hashed), so a reused idempotency key can be told from a retry.
func Fingerprint(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		b = fmt.Appendf(nil, "%#v", v)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
