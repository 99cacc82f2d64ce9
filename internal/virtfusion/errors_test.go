package virtfusion

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestCustomerMessage: VirtFusion 422 texts that describe the operator's
// setup reach customers in our words; plain validation text stays.
func TestCustomerMessage(t *testing.T) {
	tests := []struct {
		body string
		want string // substring of the customer message
		leak string // must not appear
	}{
		// The spec's POST /servers 422 example.
		{`{"errors":["Invalid or disabled firewall ruleset"]}`, "configuration problem on our side", "ruleset"},
		{`{"errors":["No hypervisor in the selected group has enough resources for this server."]}`, "no room for this server", "hypervisor"},
		{`{"errors":["Not enough free IPv4 addresses in the selected group."]}`, "No IP addresses are free", "group"},
		{`{"errors":["The selected package is invalid."]}`, "configuration problem", "package"},
		{`{"errors":["Unable to reset the password: the server is not running or the QEMU guest agent is not responding."]}`, "guest agent is not answering", "QEMU"},
		{`{"message":"The given data was invalid.","errors":{"storageProfile":["The selected storage profile is invalid."]}}`, "configuration problem", "storage profile"},
		{`{"errors":["The name may not be greater than 63 characters."]}`, "may not be greater than 63", ""},
		{`{"errors":["The relationship is invalid."]}`, "relationship", ""}, // "ship" is no "ip"
		{`{"errors":[]}`, "rejected as invalid", ""},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			for _, status := range []int{http.StatusUnprocessableEntity, http.StatusBadRequest} {
				e := newAPIError(status, http.Header{}, []byte(tt.body), time.Now())
				pe := e.Panel()
				if pe.Code != panel.EINVALID || !strings.Contains(pe.Message, tt.want) {
					t.Errorf("%d: got %q (%s), want it to contain %q", status, pe.Message, pe.Code, tt.want)
				}
				if tt.leak != "" && strings.Contains(pe.Message, tt.leak) {
					t.Errorf("%d: %q leaks %q", status, pe.Message, tt.leak)
				}
				if len(e.Messages) == 0 && tt.body != `{"errors":[]}` {
					t.Errorf("VirtFusion's own text is lost for the logs")
				}
			}
		})
	}
}
