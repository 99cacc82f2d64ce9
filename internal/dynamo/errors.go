package dynamo

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// inputLimitHints are fragments of the ValidationException messages DynamoDB
// (and DynamoDB Local) sends when a value it was given breaks one of its
// limits: a key over 2048/1024 bytes, an item over 400 KB, an empty key
// string, a start key that is not one of the table's. Those come from what a
// caller sent, so they are the caller's error, not an outage.
var inputLimitHints = []string{
	"size limit", "maximum allowed size", "maximum size", "exceeded", "must be under",
	"empty string", "starting key", "start key", "exclusivestartkey",
}

// dbErr wraps a failed DynamoDB call with the operation, for the logs.
// A ValidationException caused by an input value is EINVALID (400): retrying
// cannot help, and it must not count as the database failing. Any other
// ValidationException is a mistake in our request: EINTERNAL. Everything
// else (throttling, timeouts, no answer) is EUNAVAILABLE. An error that is
// already a *panel.Error passes through.
func dbErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var pe *panel.Error
	if errors.As(err, &pe) {
		return err
	}
	wrapped := fmt.Errorf("dynamo: %s: %w", op, err)
	if msg, ok := validationMessage(err); ok {
		lower := strings.ToLower(msg)
		for _, hint := range inputLimitHints {
			if strings.Contains(lower, hint) {
				return &panel.Error{Code: panel.EINVALID, Err: wrapped,
					Message: "A value in the request is too long or not allowed."}
			}
		}
		return &panel.Error{Code: panel.EINTERNAL, Message: "Internal error.", Err: wrapped}
	}
	return &panel.Error{Code: panel.EUNAVAILABLE, Message: "The database is not answering; try again.", Err: wrapped}
}

// validationMessage returns the message of a ValidationException in err, or
// of a transaction item cancelled with ValidationError.
func validationMessage(err error) (string, bool) {
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) {
		for _, r := range tce.CancellationReasons {
			if r.Code != nil && *r.Code == "ValidationError" {
				msg := ""
				if r.Message != nil {
					msg = *r.Message
				}
				return msg, true
			}
		}
		return "", false
	}
	// The SDK's API errors (smithy.APIError) have these methods.
	var api interface {
		ErrorCode() string
		ErrorMessage() string
	}
	if errors.As(err, &api) && api.ErrorCode() == "ValidationException" {
		return api.ErrorMessage(), true
	}
	return "", false
}
