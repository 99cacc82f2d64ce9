package paypal

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Issues PayPal reports in error details that callers branch on.
const (
	IssueOrderAlreadyCaptured = "ORDER_ALREADY_CAPTURED"
	IssueOrderNotApproved     = "ORDER_NOT_APPROVED"
	IssueInstrumentDeclined   = "INSTRUMENT_DECLINED"
	IssueDuplicateInvoiceID   = "DUPLICATE_INVOICE_ID"
)

// APIError is an error answer from PayPal: `{name, message, debug_id,
// details:[{issue, description}]}`, or an OAuth `{error, error_description}`.
// It unwraps to a *panel.Error so the HTTP layer maps it to a status.
type APIError struct {
	Status      int    // HTTP status
	Name        string // e.g. UNPROCESSABLE_ENTITY, RESOURCE_NOT_FOUND, invalid_client
	Message     string
	Issue       string // first details[].issue, e.g. ORDER_ALREADY_CAPTURED
	Description string // first details[].description
	DebugID     string // quote this to PayPal support
	RetryAfter  int    // seconds, from Retry-After
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "paypal: %d %s", e.Status, e.Name)
	if e.Issue != "" {
		b.WriteString(" " + e.Issue)
	}
	if msg := firstNonEmpty(e.Description, e.Message); msg != "" {
		b.WriteString(": " + msg)
	}
	if e.DebugID != "" {
		b.WriteString(" (debug_id " + e.DebugID + ")")
	}
	return b.String()
}

// Unwrap returns the *panel.Error this answer means to vfpanel's callers.
// The message is customer-safe; PayPal's own text stays in APIError.
func (e *APIError) Unwrap() error {
	pe := &panel.Error{Code: panel.EUPSTREAM, Message: "PayPal rejected the request."}
	switch {
	case e.Issue == IssueOrderAlreadyCaptured:
		pe.Code, pe.Message = panel.ECONFLICT, "This payment was already captured."
	case e.Issue == IssueOrderNotApproved:
		pe.Code, pe.Message = panel.EPAYMENTREQUIRED, "The payment was not approved in PayPal yet."
	case e.Issue == IssueInstrumentDeclined:
		pe.Code, pe.Message = panel.EPAYMENTREQUIRED, "PayPal declined the payment method; please choose another one."
	case e.Status == http.StatusNotFound:
		pe.Code, pe.Message = panel.ENOTFOUND, "PayPal order not found."
	case e.Status == http.StatusTooManyRequests:
		pe.Code, pe.Message, pe.RetryAfter = panel.ERATELIMITED, "PayPal is busy; try again shortly.", e.RetryAfter
	case e.Status >= 500:
		pe.Code, pe.Message = panel.EUNAVAILABLE, "PayPal is temporarily unavailable."
	}
	return pe
}

// HasIssue reports whether err is an *APIError with the given issue.
func HasIssue(err error, issue string) bool {
	var e *APIError
	return errors.As(err, &e) && e.Issue == issue
}

// IsAlreadyCaptured reports whether PayPal refused a capture because the
// order was captured before (so the capture to look for already exists).
func IsAlreadyCaptured(err error) bool { return HasIssue(err, IssueOrderAlreadyCaptured) }

// IsNotApproved reports whether the payer has not approved the order yet.
func IsNotApproved(err error) bool { return HasIssue(err, IssueOrderNotApproved) }

// IsInstrumentDeclined reports whether the payer's funding source was
// declined; the payer must approve the order again with another one.
func IsInstrumentDeclined(err error) bool { return HasIssue(err, IssueInstrumentDeclined) }

// decodeError turns a non-2xx answer into an *APIError.
func decodeError(resp *http.Response, raw []byte) *APIError {
	e := &APIError{Status: resp.StatusCode, RetryAfter: retryAfter(resp.Header), DebugID: resp.Header.Get("Paypal-Debug-Id")}
	var body struct {
		Name    string `json:"name"`
		Message string `json:"message"`
		DebugID string `json:"debug_id"`
		Details []struct {
			Issue       string `json:"issue"`
			Description string `json:"description"`
		} `json:"details"`
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	if json.Unmarshal(raw, &body) == nil {
		e.Name = firstNonEmpty(body.Name, body.Error)
		e.Message = firstNonEmpty(body.Message, body.ErrorDescription)
		e.DebugID = firstNonEmpty(body.DebugID, e.DebugID)
		if len(body.Details) > 0 {
			e.Issue, e.Description = body.Details[0].Issue, body.Details[0].Description
		}
	}
	if e.Name == "" {
		e.Name = strings.ToUpper(strings.ReplaceAll(http.StatusText(resp.StatusCode), " ", "_"))
	}
	return e
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
