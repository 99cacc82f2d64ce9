// Package httpx is vfpanel's HTTP plumbing: handlers that return errors, one
// error writer, JSON decode/encode, middleware, and mounting a function's
// handlers from the route table.
package httpx

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// statusByCode is the one table from error code to HTTP status.
var statusByCode = map[string]int{
	panel.EINVALID:         http.StatusBadRequest,
	panel.EUNAUTHORIZED:    http.StatusUnauthorized,
	panel.EFORBIDDEN:       http.StatusForbidden,
	panel.ECSRF:            http.StatusForbidden,
	panel.EMFAREQUIRED:     http.StatusForbidden,
	panel.EMFAREAUTH:       http.StatusForbidden,
	panel.EMFASTAFF:        http.StatusForbidden,
	panel.EEMAILUNVERIFIED: http.StatusForbidden,
	panel.ENOTFOUND:        http.StatusNotFound,
	panel.ECONFLICT:        http.StatusConflict,
	panel.ESERVERSUSPENDED: http.StatusConflict,
	panel.ESERVERBUSY:      http.StatusConflict,
	panel.EPAYMENTREQUIRED: http.StatusPaymentRequired,
	panel.ETOOLARGE:        http.StatusRequestEntityTooLarge,
	panel.ERATELIMITED:     http.StatusTooManyRequests,
	panel.EUPSTREAM:        http.StatusBadGateway,
	panel.EUNAVAILABLE:     http.StatusServiceUnavailable,
	panel.ETIMEOUT:         http.StatusGatewayTimeout,
	panel.EINTERNAL:        http.StatusInternalServerError,

	panel.EIDEMPOTENCYMISMATCH: http.StatusUnprocessableEntity,
	panel.EAMOUNTRANGE:         http.StatusUnprocessableEntity,
}

// StatusOf returns the HTTP status for an error code.
func StatusOf(code string) int {
	if s, ok := statusByCode[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// ErrorBody is the JSON shape of every error response.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the inner object of ErrorBody.
type ErrorDetail struct {
	Code       string            `json:"code"`
	Message    string            `json:"message"`
	RequestID  string            `json:"requestId,omitempty"`
	Fields     map[string]string `json:"fields,omitempty"`
	RetryAfter int               `json:"retryAfter,omitempty"`
}

// WriteError writes err as the error body with the status of its code.
// Internal errors are logged in full and shown only as "Internal error.".
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	code := panel.ErrorCode(err)
	status := StatusOf(code)
	detail := ErrorDetail{Code: code, Message: panel.ErrorMessage(err), RequestID: RequestID(r.Context())}
	var e *panel.Error
	if errors.As(err, &e) {
		detail.Fields = e.Fields
		detail.RetryAfter = e.RetryAfter
	}
	if detail.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(detail.RetryAfter))
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	Logger(r.Context()).Log(r.Context(), level, "request failed", "code", code, "status", status, "err", err)
	Encode(w, status, ErrorBody{Error: detail})
}
