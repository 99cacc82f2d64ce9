package dynamo_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestInvoiceNumberConcurrent: many goroutines number invoices at once on
// DynamoDB Local, several of them the same customer's same month. Every
// (customer, month) gets exactly one number, the numbers are 1..N with no
// gap and no duplicate, and asking again returns the same number.
func TestInvoiceNumberConcurrent(t *testing.T) {
	st, _ := newAcctStore(t)
	l := dynamo.NewLedger(st)
	ctx := context.Background()
	type key struct{ user, period string }
	var keys []key
	for u := range 4 {
		for _, m := range []string{"2026-10", "2026-11"} {
			keys = append(keys, key{fmt.Sprintf("u-inv-%d", u), m})
		}
	}
	const askers = 2 // callers per (customer, month), racing each other
	var (
		mu  sync.Mutex
		got = map[key][]int64{}
		wg  sync.WaitGroup
	)
	for _, k := range keys {
		for range askers {
			wg.Go(func() {
				n, err := l.InvoiceNumber(ctx, k.user, k.period)
				if err != nil {
					t.Errorf("number %v: %v", k, err)
					return
				}
				mu.Lock()
				got[k] = append(got[k], n)
				mu.Unlock()
			})
		}
	}
	wg.Wait()
	var all []int64
	for _, k := range keys {
		ns := got[k]
		if len(ns) != askers {
			t.Fatalf("%v: %d answers, want %d", k, len(ns), askers)
		}
		for _, n := range ns {
			if n != ns[0] {
				t.Errorf("%v: numbers %v, want one", k, ns)
			}
		}
		all = append(all, ns[0])
		again, err := l.InvoiceNumber(ctx, k.user, k.period)
		if err != nil || again != ns[0] {
			t.Errorf("%v again: %d, %v; want %d", k, again, err, ns[0])
		}
	}
	slices.Sort(all)
	for i, n := range all {
		if n != int64(i+1) {
			t.Fatalf("numbers %v: want 1..%d without gaps or duplicates", all, len(keys))
		}
	}
}

func TestInvoiceNumberBadPeriod(t *testing.T) {
	st, _ := newAcctStore(t)
	l := dynamo.NewLedger(st)
	for _, p := range []string{"", "2026-13", "2026-1", "x"} {
		if _, err := l.InvoiceNumber(context.Background(), "u1", p); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("period %q: %v, want not found", p, err)
		}
	}
}

func TestBillingProfileRoundTrip(t *testing.T) {
	st, _ := newAcctStore(t)
	l := dynamo.NewLedger(st)
	ctx := context.Background()
	b, err := l.BillingProfile(ctx, "u-bp")
	if err != nil || b.Name != "" || b.AddressLines == nil || len(b.AddressLines) != 0 {
		t.Fatalf("unsaved profile: %+v, %v", b, err)
	}
	want := panel.BillingProfile{Name: "Ada Lovelace", Company: "Analytical Ltd", AddressLines: []string{"1 Engine St", "London"}, TaxID: "GB123"}
	if err := l.PutBillingProfile(ctx, "u-bp", want); err != nil {
		t.Fatal(err)
	}
	b, err = l.BillingProfile(ctx, "u-bp")
	if err != nil || b.Company != want.Company || !slices.Equal(b.AddressLines, want.AddressLines) || b.TaxID != want.TaxID {
		t.Fatalf("got %+v, %v; want %+v", b, err, want)
	}
}
