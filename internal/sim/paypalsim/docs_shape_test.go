package paypalsim_test

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/vfpanel/vfpanel/internal/paypal"
	"github.com/vfpanel/vfpanel/internal/sim/paypalsim"
)

// shapeDiff lists the JSON paths where got and want differ in their keys
// (objects compared recursively, arrays by their first element).
func shapeDiff(path string, want, got any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{path + ": not an object"}
		}
		var diffs []string
		for k := range w {
			if _, ok := g[k]; !ok {
				diffs = append(diffs, path+"."+k+": missing")
			}
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				diffs = append(diffs, path+"."+k+": not in PayPal's sample")
			}
		}
		for k, wv := range w {
			if gv, ok := g[k]; ok {
				diffs = append(diffs, shapeDiff(path+"."+k, wv, gv)...)
			}
		}
		return diffs
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{path + ": not an array"}
		}
		if len(w) > 0 && len(g) > 0 {
			return shapeDiff(path+"[0]", w[0], g[0])
		}
	}
	return nil
}

// TestEventsShapedLikeDocs: the simulator's refund, reversal and pending
// events have exactly the members of PayPal's documented samples
// (internal/paypal/testdata/paypal-docs-events.json names the source): no
// custom_id on refunds, no custom_id or supplementary_data on a pending
// capture.
func TestEventsShapedLikeDocs(t *testing.T) {
	raw, err := os.ReadFile("../../paypal/testdata/paypal-docs-events.json")
	if err != nil {
		t.Fatal(err)
	}
	var docs struct {
		Events map[string]map[string]any `json:"events"`
	}
	if err := json.Unmarshal(raw, &docs); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	e := MustEnv(t, paypalsim.Options{})
	capture := func(id string) string {
		o, err := e.client.CreateOrder(ctx, paypal.CreateOrderInput{AmountMinor: 1000, Currency: "USD", CustomID: "tp_" + id,
			ReturnURL: "https://panel.example/r", CancelURL: "https://panel.example/c"}, "create-"+id)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.sim.Approve(o.ID); err != nil {
			t.Fatal(err)
		}
		res, err := e.client.CaptureOrder(ctx, o.ID, "capture-"+id)
		if err != nil {
			t.Fatal(err)
		}
		return res.Captures[0].ID
	}
	refundID, err := e.sim.Refund(capture("r"), 99)
	if err != nil {
		t.Fatal(err)
	}
	reversalID, err := e.sim.Reverse(capture("v"))
	if err != nil {
		t.Fatal(err)
	}
	e.sim.HoldCaptures("UNILATERAL")
	pendingID := capture("p")

	for typ, resourceID := range map[string]string{
		paypal.EventCaptureRefunded: refundID, paypal.EventCaptureReversed: reversalID, paypal.EventCapturePending: pendingID,
	} {
		t.Run(typ, func(t *testing.T) {
			_, body, err := e.sim.LastEvent(resourceID)
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			if got["event_type"] != typ {
				t.Fatalf("event_type %v, want %s", got["event_type"], typ)
			}
			if diffs := shapeDiff("", docs.Events[typ], got); len(diffs) > 0 {
				slices.Sort(diffs)
				t.Errorf("%s differs from PayPal's sample:\n%s", typ, strings.Join(diffs, "\n"))
			}
		})
	}
}
