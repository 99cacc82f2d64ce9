package dynamo

import (
	"math"
	"math/big"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

func TestSaturatedN(t *testing.T) {
	tests := []struct {
		in   types.AttributeValue
		want int64
	}{
		{N(42), 42},
		{N(-7), -7},
		{&types.AttributeValueMemberN{Value: "9223372036854775807"}, math.MaxInt64},
		{&types.AttributeValueMemberN{Value: "9223372036854775808"}, math.MaxInt64},
		{&types.AttributeValueMemberN{Value: "-9223372036854775809"}, math.MinInt64},
		{&types.AttributeValueMemberN{Value: "99999999999999999999999999999999999999"}, math.MaxInt64},
		{&types.AttributeValueMemberN{Value: "1E+30"}, math.MaxInt64},
		{&types.AttributeValueMemberN{Value: "-12.75"}, -12},
		{&types.AttributeValueMemberN{Value: "not a number"}, 0},
		{S("12"), 0},
		{nil, 0},
	}
	for _, tt := range tests {
		if got := saturatedN(tt.in); got != tt.want {
			t.Errorf("saturatedN(%v) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// FuzzSaturatedN: any stored number reads as the int64 nearest to it
// (truncated), never a wrapped value, and never panics.
func FuzzSaturatedN(f *testing.F) {
	for _, s := range []string{"0", "-1", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
		"1E+30", "-1e-130", "12.5", "99999999999999999999999999999999999999", "", "-", "1e99999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := saturatedN(&types.AttributeValueMemberN{Value: s})
		x, _, err := big.ParseFloat(s, 10, 0, big.ToZero)
		if err != nil {
			if got != 0 {
				t.Fatalf("saturatedN(%q) = %d for a non-number", s, got)
			}
			return
		}
		if x.Sign() > 0 && got < 0 || x.Sign() < 0 && got > 0 {
			t.Fatalf("saturatedN(%q) = %d: sign flipped", s, got)
		}
	})
}

func TestPostBounds(t *testing.T) {
	tests := []struct {
		name    string
		balance int64
		p       panel.Posting
		want    string
	}{
		{"OK", 0, panel.Posting{AmountMinor: 500}, ""},
		{"OKNegative", 0, panel.Posting{AmountMinor: -500}, ""},
		{"OKToUpperBound", panel.MaxBalanceMinor - 5, panel.Posting{AmountMinor: 5}, ""},
		{"ErrAboveUpperBound", panel.MaxBalanceMinor - 5, panel.Posting{AmountMinor: 6}, panel.EAMOUNTRANGE},
		{"ErrBelowLowerBound", -panel.MaxBalanceMinor, panel.Posting{AmountMinor: -1}, panel.EAMOUNTRANGE},
		{"OKRequirementMet", 240, panel.Posting{AmountMinor: -10, RequireBalanceMinor: 240}, ""},
		{"ErrRequirement", 239, panel.Posting{AmountMinor: -10, RequireBalanceMinor: 240}, panel.EPAYMENTREQUIRED},
		{"ErrStoredOverflow", math.MaxInt64, panel.Posting{AmountMinor: -1}, panel.EAMOUNTRANGE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := panel.ErrorCode(postRefusal(tt.balance, tt.p)); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}
