package billing_test

import (
	"bytes"
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/panel"
)

func TestAdjustBounds(t *testing.T) {
	e := newEnv(t, envOpts{})
	tests := []struct {
		name   string
		before int64 // funded first
		amount int64
		want   string // error code, "" for applied
	}{
		// Regression: this wrapped the balance negative and broke statements.
		{"ErrMaxInt64", 0, math.MaxInt64, panel.EAMOUNTRANGE},
		{"ErrMinInt64", 0, math.MinInt64, panel.EAMOUNTRANGE},
		{"ErrOverOneMovement", 0, panel.MaxAmountMinor + 1, panel.EAMOUNTRANGE},
		{"OKOneMovement", 0, panel.MaxAmountMinor, ""},
		{"OKDebitOneMovement", 0, -panel.MaxAmountMinor, ""},
		{"ErrBalanceAboveBound", panel.MaxBalanceMinor - 10, 11, panel.EAMOUNTRANGE},
		{"OKBalanceAtBound", panel.MaxBalanceMinor - 10, 10, ""},
		{"ErrBalanceBelowBound", -panel.MaxBalanceMinor + 10, -11, panel.EAMOUNTRANGE},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := fmt.Sprintf("u_bound%d", i)
			for left := tt.before; left != 0; {
				step := max(min(left, panel.MaxAmountMinor), -panel.MaxAmountMinor)
				if _, _, err := e.svc.Adjust(ctx, "admin", user, step, "test funds", fmt.Sprintf("fund-%d", left)); err != nil {
					t.Fatal(err)
				}
				left -= step
			}
			_, bal, err := e.svc.Adjust(ctx, "admin", user, tt.amount, "bound test", "k")
			if got := panel.ErrorCode(err); got != tt.want {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			want := tt.before
			if tt.want == "" {
				want += tt.amount
				if bal != want {
					t.Fatalf("got balance %d, want %d", bal, want)
				}
			}
			if got := e.balance(user); got != want {
				t.Fatalf("got stored balance %d, want %d", got, want)
			}
			if _, err := e.svc.Invoices(ctx, user); err != nil {
				t.Fatalf("statements: %v", err)
			}
		})
	}
	t.Run("ConcurrentNearBound", func(t *testing.T) {
		// The bound is a condition of each write: racing credits cannot
		// together pass it.
		const user = "u_race"
		var wg sync.WaitGroup
		for i := range 14 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e.svc.Adjust(ctx, "admin", user, panel.MaxAmountMinor, "race", fmt.Sprintf("r%d", i))
			}()
		}
		wg.Wait()
		if got := e.balance(user); got > panel.MaxBalanceMinor || got%panel.MaxAmountMinor != 0 {
			t.Fatalf("got balance %d, want at most %d", got, panel.MaxBalanceMinor)
		}
	})
}

func TestAdjustIdempotency(t *testing.T) {
	e := newEnv(t, envOpts{})
	if _, _, err := e.svc.Adjust(ctx, "admin", "u1", 500, "goodwill", "k1"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		amount int64
		reason string
		want   string
	}{
		{"OKRetry", 500, "goodwill", ""},
		// Regression: these were answered with the first adjustment.
		{"ErrOtherAmount", 700, "goodwill", panel.EIDEMPOTENCYMISMATCH},
		{"ErrOtherReason", 500, "another reason", panel.EIDEMPOTENCYMISMATCH},
		{"ErrOtherSign", -500, "goodwill", panel.EIDEMPOTENCYMISMATCH},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e1, bal, err := e.svc.Adjust(ctx, "admin", "u1", tt.amount, tt.reason, "k1")
			if got := panel.ErrorCode(err); got != tt.want {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			if tt.want == "" && (e1 == nil || e1.AmountMinor != 500 || bal != 500) {
				t.Fatalf("got %+v, balance %d, want the first adjustment replayed", e1, bal)
			}
		})
	}
	if got := len(e.entries("u1", panel.EntryAdjustment)); got != 1 || e.balance("u1") != 500 {
		t.Fatalf("got %d adjustments, balance %d, want 1 and 500", got, e.balance("u1"))
	}
	// The same key for another customer is another adjustment.
	if _, bal, err := e.svc.Adjust(ctx, "admin", "u2", 700, "goodwill", "k1"); err != nil || bal != 700 {
		t.Fatalf("other customer: got %d, %v", bal, err)
	}
}

func TestStatementsAnyStoredValue(t *testing.T) {
	// Totals no bound allows any more (left by the overflow bug, or by
	// hand) must not break statements.
	e := newEnv(t, envOpts{})
	e.fund("u1", 1000)
	month := e.now().UTC().Format("2006-01")
	for name, vals := range map[string][2]string{
		"Huge":     {"100000000000000000000000000000", "5"},
		"HugeBoth": {"99999999999999999999999999999999999999", "99999999999999999999999999999999999999"},
		"MaxInt64": {"9223372036854775807", "0"},
		"MinInt64": {"0", "-9223372036854775808"},
		"Fraction": {"12.5", "-3.75"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := e.store.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(e.store.Table), Item: map[string]types.AttributeValue{
				"PK": dynamo.S("USER#u1"), "SK": dynamo.S("STMT#" + month),
				"creditsMinor": &types.AttributeValueMemberN{Value: vals[0]}, "chargesMinor": &types.AttributeValueMemberN{Value: vals[1]}}})
			if err != nil {
				t.Fatal(err)
			}
			// A month no billing code writes, stored by hand.
			if _, err := e.store.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(e.store.Table), Item: map[string]types.AttributeValue{
				"PK": dynamo.S("USER#u1"), "SK": dynamo.S("STMT#garbage"), "creditsMinor": &types.AttributeValueMemberN{Value: "1"}}}); err != nil {
				t.Fatal(err)
			}
			invs, err := e.svc.Invoices(ctx, "u1")
			if err != nil || len(invs) == 0 {
				t.Fatalf("got %v, %v", invs, err)
			}
			pdf, err := e.svc.InvoicePDF(ctx, "u1", "Customer", month)
			if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("pdf: %v", err)
			}
		})
	}
}

func TestSetPrice(t *testing.T) {
	e := newEnv(t, envOpts{})
	tests := []struct {
		name    string
		pkg     int64
		price   panel.Price
		wantErr string
	}{
		{"OK", 1, panel.Price{HourlyMinor: 10, MonthlyCapMinor: 5000}, ""},
		// Regression: a price could be set for a package VirtFusion lacks.
		{"ErrNoSuchPackage", 999, panel.Price{HourlyMinor: 10}, panel.ENOTFOUND},
		{"ErrZero", 1, panel.Price{}, panel.EINVALID},
		{"ErrHourlyTooHigh", 1, panel.Price{HourlyMinor: panel.MaxAmountMinor}, panel.EAMOUNTRANGE},
		{"ErrCapTooHigh", 1, panel.Price{HourlyMinor: 10, MonthlyCapMinor: math.MaxInt64}, panel.EAMOUNTRANGE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.SetPrice(ctx, tt.pkg, tt.price)
			if got := panel.ErrorCode(err); got != tt.wantErr {
				t.Fatalf("got %v, want %q", err, tt.wantErr)
			}
			prices, err := e.store.Prices(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := prices[999]; ok {
				t.Fatal("a price was stored for package 999")
			}
		})
	}
}
