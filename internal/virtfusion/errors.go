package virtfusion

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// APIError is a failed VirtFusion call: a non-2xx response, or a transport
// failure (Status 0: timeout, refused connection). It unwraps to the
// matching *panel.Error, so panel.ErrorCode works on any client error, and to
// the transport cause when there is one.
type APIError struct {
	Status     int               // HTTP status; 0 for transport failures
	Messages   []string          // messages from the body, in order
	Fields     map[string]string // field → first message, for {"errors":{field:[…]}}
	Retryable  bool              // 429, 502, 503, 504, timeouts, connection errors
	RetryAfter time.Duration     // from Retry-After; 0 when absent
	Err        error             // transport cause, if any

	panelErr *panel.Error
}

// Error describes the failure for logs; it is not customer-safe.
func (e *APIError) Error() string {
	var b strings.Builder
	if e.Status != 0 {
		b.WriteString("status ")
		b.WriteString(strconv.Itoa(e.Status))
	} else {
		b.WriteString("request failed")
	}
	if len(e.Messages) > 0 {
		b.WriteString(": ")
		b.WriteString(strings.Join(e.Messages, "; "))
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the panel error this maps to and the transport cause.
func (e *APIError) Unwrap() []error {
	errs := []error{e.Panel()}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// Panel returns the *panel.Error this failure maps to:
// 404 → not_found, 400/422 → invalid (with the API's messages), 409 →
// conflict, 423 → server_busy, 401/403 → upstream (our token is wrong, not
// the customer's fault), 429/502/503 and refused connections → unavailable,
// 504 and timeouts → timeout, anything else → upstream.
func (e *APIError) Panel() *panel.Error {
	if e.panelErr != nil {
		return e.panelErr
	}
	// Not cached here: one error may be shared by goroutines (singleflight).
	return panelError(e)
}

// sealed sets the panel error once, before the error is shared.
func (e *APIError) sealed() *APIError {
	e.panelErr = panelError(e)
	return e
}

func panelError(e *APIError) *panel.Error {
	retry := int((e.RetryAfter + time.Second - 1) / time.Second)
	msg := strings.Join(e.Messages, " ")
	switch {
	case e.Status == http.StatusNotFound:
		return &panel.Error{Code: panel.ENOTFOUND, Message: "Not found."}
	case e.Status == http.StatusBadRequest || e.Status == http.StatusUnprocessableEntity:
		if msg == "" {
			msg = "The request was rejected as invalid."
		}
		return &panel.Error{Code: panel.EINVALID, Message: customerMessage(e.Messages, msg), Fields: e.Fields}
	case e.Status == http.StatusConflict:
		if msg == "" {
			msg = "The request conflicts with the current state."
		}
		return &panel.Error{Code: panel.ECONFLICT, Message: msg}
	case e.Status == http.StatusLocked:
		return &panel.Error{Code: panel.ESERVERBUSY, Message: "The server is busy with another action; try again shortly.", RetryAfter: max(retry, 5)}
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
		return &panel.Error{Code: panel.EUPSTREAM, Message: "The virtualization service is unavailable."}
	case e.Status == http.StatusTooManyRequests || e.Status == http.StatusBadGateway || e.Status == http.StatusServiceUnavailable:
		return &panel.Error{Code: panel.EUNAVAILABLE, Message: "The virtualization service is busy; try again shortly.", RetryAfter: retry}
	case e.Status == http.StatusGatewayTimeout:
		return &panel.Error{Code: panel.ETIMEOUT, Message: "The virtualization service timed out.", RetryAfter: retry}
	case e.Status == 0 && isTimeout(e.Err):
		return &panel.Error{Code: panel.ETIMEOUT, Message: "The virtualization service timed out."}
	case e.Status == 0:
		return &panel.Error{Code: panel.EUNAVAILABLE, Message: "The virtualization service is unreachable."}
	default:
		return &panel.Error{Code: panel.EUPSTREAM, Message: "The virtualization service failed."}
	}
}

// operatorWording maps VirtFusion validation messages that describe the
// operator's setup (hypervisors, IP pools, firewall rulesets, packages,
// profiles) to wording a customer can act on. The first entry whose every
// word occurs in a message wins; VirtFusion's own text stays in
// APIError.Messages for the logs.
var operatorWording = []struct {
	words []string
	say   string
}{
	{[]string{"hypervisor"}, "There is no room for this server in the chosen location right now. Try another location or contact support."},
	{[]string{"ip", "free"}, "No IP addresses are free in the chosen location right now. Contact support."},
	{[]string{"ip", "available"}, "No IP addresses are free in the chosen location right now. Contact support."},
	{[]string{"ipv4", "enough"}, "No IP addresses are free in the chosen location right now. Contact support."},
	{[]string{"guest agent"}, "The server's guest agent is not answering. Start the server, wait a minute and try again."},
	{[]string{"qemu"}, "The server's guest agent is not answering. Start the server, wait a minute and try again."},
	{[]string{"operating system"}, "That operating system cannot be installed on this server."},
	{[]string{"template"}, "That operating system cannot be installed on this server."},
	{[]string{"firewall"}, configProblem},
	{[]string{"ruleset"}, configProblem},
	{[]string{"package"}, configProblem},
	{[]string{"backup plan"}, configProblem},
	{[]string{"profile"}, configProblem},
	{[]string{"asset group"}, configProblem},
	{[]string{"selected user"}, configProblem},
	{[]string{"storage"}, configProblem},
	{[]string{"network"}, configProblem},
}

const configProblem = "This could not be done because of a configuration problem on our side. Contact support."

// customerMessage is what a customer is told about a VirtFusion 400/422:
// our wording when a message reveals operator configuration, else
// VirtFusion's validation text (joined as fallback).
func customerMessage(msgs []string, fallback string) string {
	for _, m := range msgs {
		lm := strings.ToLower(m)
		for _, w := range operatorWording {
			all := true
			for _, word := range w.words {
				if !containsWord(lm, word) {
					all = false
					break
				}
			}
			if all {
				return w.say
			}
		}
	}
	return fallback
}

// containsWord reports whether word occurs in s on word boundaries ("ip"
// matches "IP addresses" but not "ship").
func containsWord(s, word string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], word)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(word)
		if (j == 0 || !isWordByte(s[j-1])) && (end == len(s) || !isWordByte(s[end]) || s[end] == 's') {
			return true
		}
		i = j + 1
	}
}

func isWordByte(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
}

// IsNotFound reports whether err is a VirtFusion 404 (the record named in
// the path does not exist).
func IsNotFound(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusNotFound
}

// IsLocked reports whether err is a 423: the server is busy with another
// queued action.
func IsLocked(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusLocked
}

// retryableStatus is the set of statuses worth retrying on idempotent calls.
func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// errorBody covers every error shape the API uses: {"errors":[…]},
// {"errors":{field:[…]}}, {"msg":…} and {"message":…}.
type errorBody struct {
	Errors  json.RawMessage `json:"errors"`
	Msg     FlexString      `json:"msg"`
	Message FlexString      `json:"message"`
	Error   json.RawMessage `json:"error"`
}

// newAPIError builds the error for a non-2xx response. now resolves an
// HTTP-date Retry-After.
func newAPIError(status int, h http.Header, body []byte, now time.Time) *APIError {
	e := &APIError{Status: status, Retryable: retryableStatus(status)}
	e.RetryAfter = parseRetryAfter(h.Get("Retry-After"), now)
	e.Messages, e.Fields = parseErrorBody(body)
	return e.sealed()
}

func parseErrorBody(body []byte) (msgs []string, fields map[string]string) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, nil
	}
	var eb errorBody
	if body[0] != '{' || json.Unmarshal(body, &eb) != nil {
		// Plain text ("401 Unauthorized") or an HTML error page: keep a
		// short excerpt if it looks like text, never a whole page.
		if s := string(body); !strings.HasPrefix(s, "<") && len(s) <= 200 {
			return []string{s}, nil
		}
		return nil, nil
	}
	if eb.Message != "" {
		msgs = append(msgs, string(eb.Message))
	}
	if eb.Msg != "" {
		msgs = append(msgs, string(eb.Msg))
	}
	if es := bytes.TrimSpace(eb.Errors); len(es) > 0 {
		switch es[0] {
		case '[':
			var list []FlexString
			if json.Unmarshal(es, &list) == nil {
				for _, m := range list {
					msgs = appendNew(msgs, string(m))
				}
			}
		case '{':
			var byField map[string]json.RawMessage
			if json.Unmarshal(es, &byField) == nil {
				keys := make([]string, 0, len(byField))
				for k := range byField {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				fields = make(map[string]string, len(byField))
				for _, k := range keys {
					for _, m := range stringsOf(byField[k]) {
						if _, ok := fields[k]; !ok {
							fields[k] = m
						}
						msgs = appendNew(msgs, m)
					}
				}
			}
		case '"':
			var s string
			if json.Unmarshal(es, &s) == nil {
				msgs = appendNew(msgs, s)
			}
		}
	}
	if len(msgs) == 0 && len(eb.Error) > 0 {
		msgs = appendNew(msgs, stringsOf(eb.Error)...)
	}
	return msgs, fields
}

// stringsOf reads a string or a list of strings.
func stringsOf(raw json.RawMessage) []string {
	var s FlexString
	if json.Unmarshal(raw, &s) == nil {
		return []string{string(s)}
	}
	var list []FlexString
	if json.Unmarshal(raw, &list) == nil {
		out := make([]string, 0, len(list))
		for _, v := range list {
			out = append(out, string(v))
		}
		return out
	}
	return nil
}

func appendNew(msgs []string, add ...string) []string {
	for _, m := range add {
		if m != "" && !slices.Contains(msgs, m) {
			msgs = append(msgs, m)
		}
	}
	return msgs
}

// parseRetryAfter reads delta-seconds or an HTTP date; 0 if absent or bad.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// transportError wraps a failed round trip.
func transportError(err error) *APIError {
	return (&APIError{Err: err, Retryable: true}).sealed()
}

func isTimeout(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// errDecode wraps a 2xx body we could not read.
func errDecode(status int, err error) *APIError {
	return (&APIError{Status: status, Err: fmt.Errorf("decode response: %w", err)}).sealed()
}
