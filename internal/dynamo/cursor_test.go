package dynamo

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

func TestDecodeCursor(t *testing.T) {
	ledgerSK := billLedgerSK(time.Date(2026, 11, 22, 10, 0, 0, 5, time.UTC), "e_1")
	b64 := base64.RawURLEncoding.EncodeToString
	tests := []struct {
		name, cursor, prefix, layout string
		ok                           bool
	}{
		{"OKLedger", encodeCursor(ledgerSK), billLedgerPrefix, billTS, true},
		{"OKAudit", encodeCursor("2026-11-22T10:00:00.000000000Z#a_1"), "", auditTime, true},
		{"OKUsers", encodeCursor("2026-11-22T10:00:00.5Z#u_1"), "", time.RFC3339Nano, true},
		{"ErrEmpty", "", "", auditTime, false},
		{"ErrNotBase64", "!!", "", auditTime, false},
		{"ErrPadded", base64.URLEncoding.EncodeToString([]byte(ledgerSK)), billLedgerPrefix, billTS, false},
		{"ErrStdAlphabet", strings.NewReplacer("-", "+", "_", "/").Replace(encodeCursor(ledgerSK + "??>")), billLedgerPrefix, billTS, false},
		{"ErrLineBreak", encodeCursor(ledgerSK)[:8] + "\n" + encodeCursor(ledgerSK)[8:], billLedgerPrefix, billTS, false},
		{"ErrTooLong", b64([]byte(billLedgerPrefix + "2026-11-22T10:00:00.000000000Z#" + strings.Repeat("a", 300))), billLedgerPrefix, billTS, false},
		{"ErrHugeInput", strings.Repeat("A", 100_000), billLedgerPrefix, billTS, false},
		{"ErrWrongPrefix", encodeCursor("STMT#2026-11"), billLedgerPrefix, billTS, false},
		{"ErrNoID", encodeCursor(billLedgerPrefix + "2026-11-22T10:00:00.000000000Z#"), billLedgerPrefix, billTS, false},
		{"ErrNoTime", encodeCursor("yesterday#a_1"), "", auditTime, false},
		{"ErrControl", b64([]byte("2026-11-22T10:00:00.000000000Z#a\x00")), "", auditTime, false},
		{"ErrInvalidUTF8", b64([]byte("2026-11-22T10:00:00.000000000Z#a\xff")), "", auditTime, false},
		{"ErrOldUsersFormat", b64([]byte(`{"PK":"USER#x","SK":"PROFILE"}`)), "", time.RFC3339Nano, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := decodeCursor(tt.cursor, tt.prefix, tt.layout); ok != tt.ok {
				t.Errorf("got ok=%v, want %v", ok, tt.ok)
			}
		})
	}
}

// FuzzDecodeCursor: a cursor is accepted only if it is the canonical
// encoding of a short printable sort key of the list's shape.
func FuzzDecodeCursor(f *testing.F) {
	f.Add(encodeCursor(billLedgerSK(time.Unix(1_800_000_000, 0), "e_1")), billLedgerPrefix, billTS)
	f.Add(encodeCursor("2026-11-22T10:00:00.000000000Z#a_1"), "", auditTime)
	f.Add(encodeCursor("2026-11-22T10:00:00Z#u_1"), "", time.RFC3339Nano)
	f.Add("!!", "", auditTime)
	f.Add("TEVER0VSIw==", billLedgerPrefix, billTS)
	f.Fuzz(func(t *testing.T, c, prefix, layout string) {
		sk, ok := decodeCursor(c, prefix, layout)
		if !ok {
			return
		}
		if encodeCursor(sk) != c {
			t.Fatalf("accepted non-canonical %q", c)
		}
		if len(sk) == 0 || len(sk) > maxCursorKey || !strings.HasPrefix(sk, prefix) || !strings.Contains(sk, "#") {
			t.Fatalf("accepted %q as %q", c, sk)
		}
		for _, ch := range []byte(sk) {
			if ch <= ' ' || ch > '~' {
				t.Fatalf("accepted byte %#x in %q", ch, sk)
			}
		}
	})
}

func TestDBErr(t *testing.T) {
	validation := func(msg string) error {
		return apiError{"ValidationException", msg}
	}
	cancelled := &types.TransactionCanceledException{CancellationReasons: []types.CancellationReason{
		{Code: aws.String("None")},
		{Code: aws.String("ValidationError"), Message: aws.String("Item size has exceeded the maximum allowed size")}}}
	given := panel.Errorf(panel.ECONFLICT, "taken")
	tests := []struct {
		name string
		err  error
		code string
	}{
		{"HashKeyTooLong", validation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of 2048 bytes"), panel.EINVALID},
		{"RangeKeyTooLong", validation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes"), panel.EINVALID},
		{"KeyTooLongLocal", validation("Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes"), panel.EINVALID},
		{"ItemTooLarge", validation("Item size has exceeded the maximum allowed size"), panel.EINVALID},
		{"EmptyKey", validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: PK"), panel.EINVALID},
		{"BadStartKey", validation("The provided starting key is invalid: The provided key element does not match the schema"), panel.EINVALID},
		{"TransactionItemTooLarge", cancelled, panel.EINVALID},
		{"OurBug", validation("Invalid UpdateExpression: Syntax error; token: \"SETT\""), panel.EINTERNAL},
		{"Throttled", &types.ProvisionedThroughputExceededException{}, panel.EUNAVAILABLE},
		{"NoAnswer", errors.New("dial tcp: connection refused"), panel.EUNAVAILABLE},
		{"PanelErrorPassesThrough", given, panel.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := dbErr("op", tt.err)
			if got := panel.ErrorCode(err); got != tt.code {
				t.Errorf("got %s (%v), want %s", got, err, tt.code)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("cause lost: %v", err)
			}
		})
	}
	if dbErr("op", nil) != nil {
		t.Error("nil: got an error")
	}
}

// apiError has the methods of the SDK's smithy.APIError, which dbErr reads.
type apiError struct{ code, message string }

func (e apiError) Error() string        { return e.code + ": " + e.message }
func (e apiError) ErrorCode() string    { return e.code }
func (e apiError) ErrorMessage() string { return e.message }
