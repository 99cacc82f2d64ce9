package dynamo

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/routes"
)

// TestKeysCannotCollide: within one key attribute, every registered value
// is unique and none is a prefix of another, so no begins_with query or
// stream filter can match two entity types.
func TestKeysCannotCollide(t *testing.T) {
	for _, c := range collisions(registeredKeys) {
		t.Error(c)
	}
}

// TestIdemKeysCannotCollide: the idempotency namespaces of every money
// movement (billing's and the hourly charge's) share IDEM#<key>.
func TestIdemKeysCannotCollide(t *testing.T) {
	var ks []keyValue
	for _, v := range []string{idemCharge, panel.IdemAdjust, panel.IdemOrderUndo, panel.IdemCapture,
		panel.IdemCaptureDenied, panel.IdemRefund, panel.IdemReversal, panel.IdemPromo} {
		ks = append(ks, keyValue{"IDEM", v})
	}
	for _, c := range collisions(ks) {
		t.Error(c)
	}
}

func TestCheckPrefixFreeCatches(t *testing.T) {
	tests := map[string][]keyValue{
		"Duplicate": {{"PK", "USER#"}, {"PK", "USER#"}},
		"Prefix":    {{"PK", "OUTBOX#"}, {"PK", "OUTBOX#DUE"}},
	}
	for name, ks := range tests {
		t.Run(name, func(t *testing.T) {
			if len(collisions(ks)) == 0 {
				t.Errorf("%v: not reported", ks)
			}
		})
	}
	// The same value in different attributes is fine.
	if c := collisions([]keyValue{{"PK", "USER#"}, {"GSI1PK", "USER#"}}); len(c) > 0 {
		t.Errorf("different attributes reported as a collision: %v", c)
	}
}

// collisions lists the pairs of ks in one attribute where one value is a
// prefix of (or equal to) the other.
func collisions(ks []keyValue) []string {
	var out []string
	for i, a := range ks {
		for _, b := range ks[i+1:] {
			if a.Attr == b.Attr && (strings.HasPrefix(a.Value, b.Value) || strings.HasPrefix(b.Value, a.Value)) {
				out = append(out, fmt.Sprintf("%s: %q and %q collide", a.Attr, a.Value, b.Value))
			}
		}
	}
	return out
}

// TestStreamPrefixRegistered: the stream filter of every stream is a
// registered partition-key prefix.
func TestStreamPrefixRegistered(t *testing.T) {
	for _, s := range routes.Streams {
		found := false
		for _, k := range registeredKeys {
			found = found || (k.Attr == "PK" && k.Value == s.KeyPrefix)
		}
		if !found {
			t.Errorf("stream %s filters on %q, which is no registered PK prefix", s.Name, s.KeyPrefix)
		}
	}
}
