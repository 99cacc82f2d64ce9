// Package panel holds vfpanel's domain: its types, their validation, the
// error type every layer speaks, and the interfaces adapters implement. It
// imports only the standard library.
package panel

import (
	"errors"
	"fmt"
)

// Error codes. The HTTP layer maps each to one status (see httpx).
const (
	EINVALID         = "invalid"
	EUNAUTHORIZED    = "unauthorized"
	EFORBIDDEN       = "forbidden"
	ENOTFOUND        = "not_found"
	ECONFLICT        = "conflict"
	EPAYMENTREQUIRED = "payment_required"
	ERATELIMITED     = "rate_limited"
	EUPSTREAM        = "upstream"
	EUNAVAILABLE     = "unavailable"
	ETIMEOUT         = "timeout"
	EINTERNAL        = "internal"

	// Narrower codes the UI branches on; each maps to a status like its family.
	ESERVERSUSPENDED = "server_suspended" // 409
	ESERVERBUSY      = "server_busy"      // 409
	ECSRF            = "csrf"             // 403
	ETOOLARGE        = "too_large"        // 413
	// EIDEMPOTENCYMISMATCH: an Idempotency-Key reused with another request (422).
	EIDEMPOTENCYMISMATCH = "idempotency_mismatch"
	// EAMOUNTRANGE: an amount, or the balance it would leave, is out of bounds (422).
	EAMOUNTRANGE = "amount_out_of_range"
)

// Error is vfpanel's error. Code is machine-readable, Message is safe to show
// to the customer, Fields names invalid inputs, RetryAfter hints when a retry
// may help (seconds, 0 = no hint). Err is the cause, logged but never shown.
type Error struct {
	Code       string
	Message    string
	Fields     map[string]string
	RetryAfter int
	Err        error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a formatted customer-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error naming each bad field.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: EINVALID, Message: "Some fields are invalid.", Fields: fields}
}

// NotFound returns an ENOTFOUND error for a kind of thing ("server").
func NotFound(what string) *Error {
	return &Error{Code: ENOTFOUND, Message: what + " not found"}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the customer-safe message of err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "Internal error."
}
