package servers

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// FuzzParseWebhook: any body either parses into an event whose id, name
// and status are short printable text, or is refused as invalid; it never
// panics and never gives another error.
func FuzzParseWebhook(f *testing.F) {
	seeds := []string{
		`{"event":"server.suspend","created":"2026-11-22T10:00:00Z","hookId":1,"hookEventId":"d1","eventStatus":"success","data":{"server":{"id":7,"ownerId":3,"name":"web"},"user":{"id":3,"extRelationId":null}}}`,
		`{"event":"server.build","hookEventId":48213,"eventStatus":"fail","data":{"server":{"id":"7","ownerId":"3"},"user":{"id":"3","extRelationId":12}}}`,
		`{"event":"user.create","hookEventId":"x","data":{"user":{"id":9}}}`,
		`{"event":"server.create","hookEventId":"y","data":{"server":false,"errors":[]}}`,
		`{"event":"server.boot","hookEventId":{"a":1}}`,
		`{"event":"server.boot","hookEventId":"` + strings.Repeat("9", 300) + `"}`,
		`{"event":"server.boot","hookEventId":1e400}`,
		`[]`, `null`, ``, `{"data":{"server":{"remoteState":{"memory":[]}}}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s), "")
	}
	f.Add([]byte(`{"event":"server.boot"}`), "hdr-1")
	f.Fuzz(func(t *testing.T, body []byte, hdrID string) {
		hdr := http.Header{}
		if hdrID != "" {
			hdr.Set("X-VirtFusion-Hook-Event", hdrID)
		}
		d, err := parseWebhook(hdr, body, time.Unix(1, 0))
		if err != nil {
			if panel.ErrorCode(err) != panel.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		ev := d.ev
		if ev.ID == "" || len(ev.ID) > maxHookIDLen || !printable(ev.ID) {
			t.Fatalf("bad id %q", ev.ID)
		}
		if ev.Event == "" || len(ev.Event) > maxHookEventLen || len(ev.Status) > maxHookStatusLen {
			t.Fatalf("bad event %q / status %q", ev.Event, ev.Status)
		}
		if len(ev.UserID) > maxHookUserIDLen || !printable(ev.UserID) {
			t.Fatalf("bad user id %q", ev.UserID)
		}
		if ev.At.IsZero() || ev.Kind == "" {
			t.Fatalf("event not completed: %+v", ev)
		}
	})
}
