package virtfusion

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// The VirtFusion API is written in PHP and is loose about JSON types: numbers
// arrive as strings ("11811160064"), booleans as 0/1, empty maps as [] and
// missing values as false. These small types absorb that once, so struct
// fields don't need per-field hacks.

var (
	jsonNull  = []byte("null")
	jsonFalse = []byte("false")
	jsonTrue  = []byte("true")
)

// unquote returns the contents of a JSON string literal, or ok=false when b
// is not a string.
func unquote(b []byte) (string, bool, error) {
	if len(b) == 0 || b[0] != '"' {
		return "", false, nil
	}
	// Fast path: no escapes.
	if bytes.IndexByte(b[1:len(b)-1], '\\') < 0 {
		return string(b[1 : len(b)-1]), true, nil
	}
	var s string
	err := json.Unmarshal(b, &s)
	return s, true, err
}

// scalarText trims b and returns it with its text as a loose PHP scalar:
// a JSON string's contents, "" for null and false, trueText for true, and
// any other literal as written.
func scalarText(b []byte, trueText string) (string, []byte, error) {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, jsonNull), bytes.Equal(b, jsonFalse):
		return "", b, nil
	case bytes.Equal(b, jsonTrue):
		return trueText, b, nil
	}
	s, quoted, err := unquote(b)
	if err != nil || quoted {
		return s, b, err
	}
	return string(b), b, nil
}

// FlexInt is an integer that also decodes from a numeric string, a float
// (truncated), a boolean (0/1), null, false or "" (all 0).
type FlexInt int64

// UnmarshalJSON implements json.Unmarshaler.
func (n *FlexInt) UnmarshalJSON(b []byte) error {
	s, b, err := scalarText(b, "1")
	if err != nil {
		return err
	}
	v, err := parseInt(s)
	if err != nil {
		return fmt.Errorf("virtfusion: cannot decode %s as an integer", b)
	}
	*n = FlexInt(v)
	return nil
}

func parseInt(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	return int64(f), nil
}

// FlexFloat is a float64 that also decodes from a numeric string
// ("0.0100000000"), a boolean, null, false or "" (0).
type FlexFloat float64

// UnmarshalJSON implements json.Unmarshaler.
func (f *FlexFloat) UnmarshalJSON(b []byte) error {
	s, b, err := scalarText(b, "1")
	if err != nil {
		return err
	}
	if s == "" {
		*f = 0
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("virtfusion: cannot decode %s as a number", b)
	}
	*f = FlexFloat(v)
	return nil
}

// FlexBool is a bool that also decodes from 0/1, "0"/"1", "true"/"false",
// "yes"/"no", "" and null (false).
type FlexBool bool

// UnmarshalJSON implements json.Unmarshaler.
func (v *FlexBool) UnmarshalJSON(b []byte) error {
	s, b, err := scalarText(b, "true")
	if err != nil {
		return err
	}
	switch s {
	case "", "0", "false", "no", "off":
		*v = false
		return nil
	case "1", "true", "yes", "on":
		*v = true
		return nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		*v = f != 0
		return nil
	}
	return fmt.Errorf("virtfusion: cannot decode %s as a boolean", b)
}

// FlexString is a string that also decodes from a number (its literal text)
// or a boolean; null and false decode to "".
type FlexString string

// UnmarshalJSON implements json.Unmarshaler.
func (s *FlexString) UnmarshalJSON(b []byte) error {
	v, b, err := scalarText(b, "true")
	if err != nil {
		return err
	}
	if len(b) > 0 && (b[0] == '{' || b[0] == '[') {
		return fmt.Errorf("virtfusion: cannot decode %.40s as a string", b)
	}
	*s = FlexString(v)
	return nil
}

// FlexTime is a time.Time that decodes the API's date formats:
// "2025-01-15T15:00:49+00:00", "2025-01-20T12:48:20.000000Z",
// "2025-01-06 00:00:00" (no zone: read as UTC), "2025-01-06", and Unix
// seconds. null, false and "" decode to the zero time. Times are in UTC.
type FlexTime struct{ time.Time }

// timeLayouts are tried in order; RFC 3339 covers both zoned forms.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02",
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *FlexTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, jsonNull) || bytes.Equal(b, jsonFalse) {
		t.Time = time.Time{}
		return nil
	}
	s, quoted, err := unquote(b)
	if err != nil {
		return err
	}
	if !quoted {
		secs, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			return fmt.Errorf("virtfusion: cannot decode %s as a time", b)
		}
		t.Time = time.Unix(secs, 0).UTC()
		return nil
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// MarshalJSON writes RFC 3339, or null for the zero time.
func (t FlexTime) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return jsonNull, nil
	}
	return t.Time.MarshalJSON()
}

// ParseTime parses any date format the API uses (see FlexTime). "" gives the
// zero time.
func ParseTime(s string) (time.Time, error) {
	if s == "" || s == "0000-00-00 00:00:00" {
		return time.Time{}, nil
	}
	for _, layout := range timeLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			return v.UTC(), nil // one location, so == and map keys behave
		}
	}
	return time.Time{}, fmt.Errorf("virtfusion: unknown time format %q", s)
}

// FlexObject is an optional JSON object. PHP sends false, null, "" or []
// where an object is absent (e.g. "remoteState": false); those leave Valid
// false. A real object is decoded into V and sets Valid.
type FlexObject[T any] struct {
	V     T
	Valid bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (o *FlexObject[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	var zero T
	o.V, o.Valid = zero, false
	if len(b) == 0 || b[0] != '{' {
		// false, null, "", [] and scalars all mean "not there".
		return nil
	}
	if err := json.Unmarshal(b, &o.V); err != nil {
		return err
	}
	o.Valid = true
	return nil
}

// MarshalJSON writes V, or false when not Valid (as the API does).
func (o FlexObject[T]) MarshalJSON() ([]byte, error) {
	if !o.Valid {
		return jsonFalse, nil
	}
	return json.Marshal(o.V)
}

// Ptr returns a pointer to V, or nil when not Valid.
func (o FlexObject[T]) Ptr() *T {
	if !o.Valid {
		return nil
	}
	v := o.V
	return &v
}

// FlexMap is a map keyed by string that also decodes PHP's [] (empty map),
// null and false (nil map). A non-empty JSON list is keyed by index ("0",
// "1", …), which is how PHP would have numbered it.
type FlexMap[V any] map[string]V

// UnmarshalJSON implements json.Unmarshaler.
func (m *FlexMap[V]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		*m = nil
		return nil
	}
	switch b[0] {
	case '{':
		var v map[string]V
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*m = v
	case '[':
		var list []V
		if err := json.Unmarshal(b, &list); err != nil {
			return err
		}
		if len(list) == 0 {
			*m = nil
			return nil
		}
		v := make(map[string]V, len(list))
		for i, e := range list {
			v[strconv.Itoa(i)] = e
		}
		*m = v
	default:
		*m = nil // null, false, "".
	}
	return nil
}

// FlexList is a list that also decodes null, false, "" and {} (PHP's empty
// array written as an object) as empty. A non-empty object keyed by index
// ({"0":…,"2":…}, PHP's list with gaps) becomes its values in index order.
type FlexList[T any] []T

// UnmarshalJSON implements json.Unmarshaler.
func (l *FlexList[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '[' {
		if len(b) > 0 && b[0] == '{' && !bytes.Equal(bytes.Join(bytes.Fields(b), nil), []byte("{}")) {
			var m map[string]T
			if err := json.Unmarshal(b, &m); err != nil {
				return err
			}
			// PHP sends a list with gaps as an object keyed by index; keep
			// the values sorted by numeric key.
			return l.fromIndexed(m)
		}
		*l = nil
		return nil
	}
	var v []T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*l = v
	return nil
}

func (l *FlexList[T]) fromIndexed(m map[string]T) error {
	type kv struct {
		k int
		v T
	}
	items := make([]kv, 0, len(m))
	for k, v := range m {
		i, err := strconv.Atoi(k)
		if err != nil {
			return fmt.Errorf("virtfusion: list object has non-index key %q", k)
		}
		items = append(items, kv{i, v})
	}
	// Insertion sort: these objects are tiny.
	for i := 1; i < len(items); i++ {
		for j := i; j > 0 && items[j].k < items[j-1].k; j-- {
			items[j], items[j-1] = items[j-1], items[j]
		}
	}
	out := make([]T, len(items))
	for i, it := range items {
		out[i] = it.v
	}
	*l = out
	return nil
}
