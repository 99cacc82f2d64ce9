package dynamo

import (
	"encoding/base64"
	"strings"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// maxCursorKey bounds the sort key a cursor may carry: ours are under 100
// bytes, DynamoDB refuses sort keys over 1024 with a ValidationException.
const maxCursorKey = 200

// encodeCursor makes the opaque page cursor for a list that resumes after
// sort key sk.
func encodeCursor(sk string) string { return base64.RawURLEncoding.EncodeToString([]byte(sk)) }

// decodeCursor returns the sort key in c if c is a cursor this package
// could have made for a list whose sort keys are prefix + a time in layout +
// "#" + an id: canonical unpadded base64url (re-encoding gives c back, so no
// padding, line breaks or stray bits), at most maxCursorKey bytes of
// printable ASCII, and of that shape. Anything else is refused before it
// reaches DynamoDB.
func decodeCursor(c, prefix, layout string) (string, bool) {
	if c == "" || len(c) > base64.RawURLEncoding.EncodedLen(maxCursorKey) {
		return "", false
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || encodeCursor(string(b)) != c {
		return "", false
	}
	for _, ch := range b {
		if ch <= ' ' || ch > '~' {
			return "", false
		}
	}
	sk := string(b)
	rest, ok := strings.CutPrefix(sk, prefix)
	if !ok {
		return "", false
	}
	at, id, ok := strings.Cut(rest, "#")
	if !ok || id == "" {
		return "", false
	}
	if _, err := time.Parse(layout, at); err != nil {
		return "", false
	}
	return sk, true
}

// badCursor is the error for a cursor decodeCursor refuses.
func badCursor() error {
	return panel.Invalid(map[string]string{"cursor": "Not a cursor from this list; start again without it."})
}
