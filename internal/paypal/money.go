package paypal

import (
	"fmt"
	"strconv"
	"strings"
)

// decimals returns how many minor-unit digits PayPal uses for currency.
// PayPal does not accept decimals for HUF, JPY and TWD.
func decimals(currency string) int {
	switch strings.ToUpper(currency) {
	case "HUF", "JPY", "TWD":
		return 0
	}
	return 2
}

// FormatAmount formats minor units as PayPal's decimal string ("10.00").
func FormatAmount(minor int64, currency string) string {
	d := decimals(currency)
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	if d == 0 {
		return sign + strconv.FormatInt(minor, 10)
	}
	return fmt.Sprintf("%s%d.%02d", sign, minor/100, minor%100)
}

// ParseAmount parses PayPal's decimal string into minor units.
func ParseAmount(value, currency string) (int64, error) {
	d := decimals(currency)
	bad := fmt.Errorf("paypal: bad %s amount %q", currency, value)
	whole, frac, dot := strings.Cut(value, ".")
	if whole == "" || len(frac) > d || (dot && frac == "") || len(whole) > 15 {
		return 0, bad
	}
	for _, s := range []string{whole, frac} {
		for _, r := range s {
			if r < '0' || r > '9' {
				return 0, bad
			}
		}
	}
	frac += strings.Repeat("0", d-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, bad
	}
	return n, nil
}
