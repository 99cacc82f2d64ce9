package billing_test

import (
	"bytes"
	"encoding/json"
	"hash/crc32"
	"net/http"
	"testing"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// forgeCRC32 returns body with a JSON member "x" appended whose value is
// chosen so that the result has CRC-32 target. PayPal's signature covers
// only the CRC-32 of the body, so the genuine headers verify the result.
// CRC-32 is affine over GF(2): flipping a set of bits changes the CRC by
// the XOR of each bit's effect, so 48 free bits (the low nibbles of 12
// characters from '@'..'O', all plain in a JSON string) solve 32 equations.
func forgeCRC32(t *testing.T, body []byte, target uint32) []byte {
	t.Helper()
	const pad = 12
	end := bytes.LastIndexByte(body, '}')
	msg := append(append(append([]byte{}, body[:end]...), []byte(`,"x":"`+string(bytes.Repeat([]byte("@"), pad))+`"`)...), body[end:]...)
	start := end + len(`,"x":"`)
	base := crc32.ChecksumIEEE(msg)
	type row struct {
		v   uint32 // the CRC change of flipping this set of bits
		set uint64 // which of the 48 bits
	}
	var basis [32]*row
	for i := range pad * 4 {
		pos, bit := start+i/4, byte(1)<<(i%4)
		msg[pos] ^= bit
		r := &row{v: crc32.ChecksumIEEE(msg) ^ base, set: 1 << i}
		msg[pos] ^= bit
		for b := 31; b >= 0; b-- { // Gaussian elimination, highest bit first
			if r.v>>b&1 == 0 {
				continue
			}
			if basis[b] == nil {
				basis[b] = r
				break
			}
			r.v ^= basis[b].v
			r.set ^= basis[b].set
		}
	}
	want, set := base^target, uint64(0)
	for b := 31; b >= 0; b-- {
		if want>>b&1 == 0 {
			continue
		}
		if basis[b] == nil {
			t.Fatal("forgeCRC32: no solution")
		}
		want ^= basis[b].v
		set ^= basis[b].set
	}
	for i := range pad * 4 {
		if set>>i&1 == 1 {
			msg[start+i/4] ^= byte(1) << (i % 4)
		}
	}
	if got := crc32.ChecksumIEEE(msg); got != target || !json.Valid(msg) {
		t.Fatalf("forgeCRC32: crc %08x, want %08x (valid JSON %v)", got, target, json.Valid(msg))
	}
	return msg
}

// TestForgedBodySameCRC32 replays a genuine delivery's headers with new
// bodies of the same CRC-32: they pass the signature check, but billing
// believes only PayPal's own account of the capture, so an unpaid top-up
// stays unpaid.
func TestForgedBodySameCRC32(t *testing.T) {
	e := newEnv(t, envOpts{})
	// The attacker pays a small top-up of their own and keeps the delivery.
	mine := e.topup("u1", 500)
	h, genuine, myCapture := completedDelivery(e, mine)
	target := crc32.ChecksumIEEE(genuine)
	// And starts a large one they never pay.
	unpaid := e.topup("u1", 100000)
	unpaidID := topupID(t, e, unpaid.OrderID)

	var ev map[string]any
	if err := json.Unmarshal(genuine, &ev); err != nil {
		t.Fatal(err)
	}
	forge := func(captureID string) []byte {
		ev["resource"] = map[string]any{"id": captureID, "status": "COMPLETED", "custom_id": unpaidID,
			"amount":             map[string]string{"currency_code": "USD", "value": "1000.00"},
			"supplementary_data": map[string]any{"related_ids": map[string]string{"order_id": unpaid.OrderID}}}
		ev["id"] = "WH-FORGED-" + captureID // a new event id, so it is processed
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		return forgeCRC32(t, b, target)
	}
	for name, body := range map[string][]byte{
		"InventedCapture": forge("9XF00000FORGED01"),
		"MyOwnCapture":    forge(myCapture), // a real capture, of another top-up
	} {
		// The forgery passes the signature check: the CRC32 is all it covers.
		if _, err := e.ppc.VerifyWebhook(ctx, h, body); err != nil {
			t.Fatalf("%s: forged body not accepted by the signature check (%v); the test proves nothing", name, err)
		}
		if s := e.post(h, body); s != http.StatusOK {
			t.Errorf("%s: got %d, want 200 (acknowledged, refused)", name, s)
		}
	}
	if tp, err := e.store.Topup(ctx, unpaidID); err != nil || tp.Status != panel.TopupCreated || tp.CreditedMinor != 0 {
		t.Fatalf("unpaid top-up: got %+v, %v, want created and uncredited", tp, err)
	}
	// Only the genuine delivery credits, once.
	if s := e.post(h, genuine); s != http.StatusOK {
		t.Fatalf("genuine: got %d", s)
	}
	if got := e.balance("u1"); got != 500 {
		t.Fatalf("got balance %d, want 500", got)
	}
}
