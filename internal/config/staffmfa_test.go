package config

import (
	"strings"
	"testing"
)

func TestStaffRequireMFA(t *testing.T) {
	tests := []struct {
		value string
		want  bool
		bad   bool
	}{{"", false, false}, {"false", false, false}, {"true", true, false}, {"1", true, false}, {"TRUE", true, false}, {"yes", false, true}}
	for _, tt := range tests {
		c, err := Load(env(map[string]string{"STAFF_REQUIRE_MFA": tt.value}), nil)
		if tt.bad {
			if err == nil || !strings.Contains(err.Error(), "STAFF_REQUIRE_MFA") {
				t.Errorf("%q: got %v, want an error naming STAFF_REQUIRE_MFA", tt.value, err)
			}
			continue
		}
		if err != nil || c.StaffRequireMFA != tt.want {
			t.Errorf("%q: got %v %v, want %v", tt.value, c.StaffRequireMFA, err, tt.want)
		}
	}
}
