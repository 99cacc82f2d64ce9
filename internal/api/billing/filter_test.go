package billing

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestParseFilter: query values are checked before they reach DynamoDB
// (issue 12, item 12); cursors are checked by the store.
func TestParseFilter(t *testing.T) {
	tests := []struct {
		name, query, badField string
	}{
		{"OK", "type=topup&from=2026-11-01&to=2026-11-30&limit=10", ""},
		{"OKEmpty", "", ""},
		{"ErrType", "type=" + strings.Repeat("x", 100_000), "type"},
		{"ErrTypeUnknown", "type=gift", "type"},
		{"ErrFrom", "from=yesterday", "from"},
		{"ErrLimit", "limit=1000", "limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseFilter(httptest.NewRequest("GET", "/api/billing/transactions?"+tt.query, nil))
			if tt.badField == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			pe, ok := err.(*panel.Error)
			if !ok || pe.Code != panel.EINVALID || pe.Fields[tt.badField] == "" {
				t.Errorf("got %v, want an invalid %s", err, tt.badField)
			}
		})
	}
}
