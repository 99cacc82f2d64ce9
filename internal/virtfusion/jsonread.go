package virtfusion

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// reader is a one-pass, validating JSON reader for the hot decodes (a
// server object, a page of them). encoding/json re-scans a value at every
// level that has its own UnmarshalJSON, and VirtFusion's loose shapes need
// one at almost every level; reading the bytes once with a cursor makes a
// full server object several times cheaper to decode.
type reader struct {
	b     []byte
	i     int
	depth int
	key   [64]byte // the current object key, folded to lower case
	orig  []byte   // the current object key as sent (unescaped)
}

// maxDepth matches encoding/json's nesting limit.
const maxDepth = 10000

// valueDecoder is a type that reads itself from a reader's cursor.
type valueDecoder interface {
	readFrom(r *reader) error
}

// decodeBody decodes a response body into out: in one pass when out reads
// itself, else with encoding/json.
func decodeBody(body []byte, out any) error {
	vd, ok := out.(valueDecoder)
	if !ok {
		return json.Unmarshal(body, out)
	}
	return readWhole(body, vd)
}

// readWhole reads exactly one JSON value (surrounded by white space) into vd.
func readWhole(b []byte, vd valueDecoder) error {
	r := &reader{b: b}
	if err := vd.readFrom(r); err != nil {
		return err
	}
	r.ws()
	if r.i != len(r.b) {
		return r.errorf("invalid character %q after top-level value", r.b[r.i])
	}
	return nil
}

// readValue reads the value at the cursor into v: by itself when v is a
// valueDecoder, else with encoding/json.
func readValue(r *reader, v any) error {
	if vd, ok := v.(valueDecoder); ok {
		return vd.readFrom(r)
	}
	raw, err := r.raw()
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

func (r *reader) errorf(format string, args ...any) error {
	return fmt.Errorf("virtfusion: invalid JSON at offset %d: %s", r.i, fmt.Sprintf(format, args...))
}

func (r *reader) ws() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// peek returns the first byte of the next value (0 at the end).
func (r *reader) peek() byte {
	r.ws()
	if r.i < len(r.b) {
		return r.b[r.i]
	}
	return 0
}

// raw skips the next value, checking its syntax, and returns its bytes.
func (r *reader) raw() ([]byte, error) {
	r.ws()
	start := r.i
	if err := r.skip(); err != nil {
		return nil, err
	}
	return r.b[start:r.i], nil
}

// skip moves past the next value, checking its syntax.
func (r *reader) skip() error {
	switch c := r.peek(); {
	case c == '{':
		return r.object(func([]byte) error { return r.skip() })
	case c == '[':
		return r.array(r.skip)
	case c == '"':
		_, err := r.str()
		return err
	case c == '-' || c >= '0' && c <= '9':
		return r.number()
	case c == 't':
		return r.literal("true")
	case c == 'f':
		return r.literal("false")
	case c == 'n':
		return r.literal("null")
	case r.i >= len(r.b):
		return r.errorf("unexpected end of input")
	default:
		return r.errorf("invalid character %q looking for a value", c)
	}
}

func (r *reader) literal(lit string) error {
	if !bytes.HasPrefix(r.b[r.i:], []byte(lit)) {
		return r.errorf("invalid literal")
	}
	r.i += len(lit)
	return nil
}

// number moves past a JSON number (the grammar of RFC 8259).
func (r *reader) number() error {
	b, i := r.b, r.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case digits() == 0:
		r.i = i
		return r.errorf("invalid number")
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			r.i = i
			return r.errorf("invalid number")
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			r.i = i
			return r.errorf("invalid number")
		}
	}
	r.i = i
	return nil
}

// str moves past a string at the cursor and returns its raw contents
// (escapes not undone).
func (r *reader) str() ([]byte, error) {
	b := r.b
	i := r.i + 1 // past the opening quote
	start := i
	for i < len(b) {
		switch c := b[i]; {
		case c == '"':
			r.i = i + 1
			return b[start:i], nil
		case c == '\\':
			if i+1 >= len(b) {
				r.i = i
				return nil, r.errorf("unexpected end of input in string")
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) {
					r.i = i
					return nil, r.errorf("invalid escape")
				}
				for _, h := range b[i+2 : i+6] {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						r.i = i
						return nil, r.errorf("invalid escape")
					}
				}
				i += 6
			default:
				r.i = i
				return nil, r.errorf("invalid escape")
			}
		case c < 0x20:
			r.i = i
			return nil, r.errorf("control character in string")
		default:
			i++
		}
	}
	r.i = i
	return nil, r.errorf("unexpected end of input in string")
}

// object reads an object at the cursor, calling member with each key
// (folded to ASCII lower case, as encoding/json matches field names
// without regard to case; valid until the next key) with the cursor on its
// value, which member must consume.
func (r *reader) object(member func(key []byte) error) error {
	if r.peek() != '{' {
		return r.errorf("expected an object")
	}
	if r.depth++; r.depth > maxDepth {
		return r.errorf("exceeded max depth")
	}
	r.i++
	if r.peek() == '}' {
		r.i++
		r.depth--
		return nil
	}
	for {
		if r.peek() != '"' {
			return r.errorf("expected a member name")
		}
		k, err := r.str()
		if err != nil {
			return err
		}
		if r.peek() != ':' {
			return r.errorf("expected a colon after a member name")
		}
		r.i++
		if err := member(r.foldKey(k)); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.i++
		case '}':
			r.i++
			r.depth--
			return nil
		default:
			return r.errorf("expected a comma or a closing brace")
		}
	}
}

// foldKey returns k unescaped and in lower case, in r.key when it fits.
func (r *reader) foldKey(k []byte) []byte {
	if bytes.IndexByte(k, '\\') >= 0 {
		var s string
		if json.Unmarshal(append(append([]byte{'"'}, k...), '"'), &s) == nil {
			k = []byte(s)
		}
	}
	r.orig = k
	out := r.key[:0]
	if len(k) > len(r.key) {
		out = make([]byte, 0, len(k))
	}
	for _, c := range k {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		out = append(out, c)
	}
	return out
}

// array reads an array at the cursor, calling elem with the cursor on each
// element, which elem must consume.
func (r *reader) array(elem func() error) error {
	if r.peek() != '[' {
		return r.errorf("expected an array")
	}
	if r.depth++; r.depth > maxDepth {
		return r.errorf("exceeded max depth")
	}
	r.i++
	if r.peek() == ']' {
		r.i++
		r.depth--
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.i++
		case ']':
			r.i++
			r.depth--
			return nil
		default:
			return r.errorf("expected a comma or a closing bracket")
		}
	}
}

// scalar reads the next value into one of the Flex scalar types (any
// json.Unmarshaler whose input is one value).
func (r *reader) scalar(u json.Unmarshaler) error {
	raw, err := r.raw()
	if err != nil {
		return err
	}
	return u.UnmarshalJSON(raw)
}

// optObject reads an optional object, as FlexObject does: anything but an
// object (false, null, "", []) is skipped and reports false.
func (r *reader) optObject(member func(key []byte) error) (bool, error) {
	if r.peek() != '{' {
		return false, r.skip()
	}
	return true, r.object(member)
}

// readList reads a list as FlexList does: an array, an object keyed by
// index (PHP's list with gaps, in index order), or anything else as empty.
func readList[T any](r *reader, elem func(*T) error) ([]T, error) {
	switch r.peek() {
	case '[':
		var out []T
		err := r.array(func() error {
			var v T
			if err := elem(&v); err != nil {
				return err
			}
			out = append(out, v)
			return nil
		})
		return out, err
	case '{':
		type kv struct {
			k int
			v T
		}
		var items []kv
		err := r.object(func(key []byte) error {
			k, err := strconv.Atoi(string(key))
			if err != nil {
				return fmt.Errorf("virtfusion: list object has non-index key %q", key)
			}
			var v T
			if err := elem(&v); err != nil {
				return err
			}
			// A repeated key replaces the earlier value, as in a map.
			if i := slices.IndexFunc(items, func(e kv) bool { return e.k == k }); i >= 0 {
				items[i].v = v
				return nil
			}
			items = append(items, kv{k, v})
			return nil
		})
		if err != nil || len(items) == 0 {
			return nil, err
		}
		slices.SortFunc(items, func(a, b kv) int { return a.k - b.k })
		out := make([]T, len(items))
		for i, it := range items {
			out[i] = it.v
		}
		return out, nil
	default:
		return nil, r.skip()
	}
}

// readFrom implements valueDecoder for the {"data": …} wrapper.
func (e *envelope[T]) readFrom(r *reader) error {
	return r.object(func(key []byte) error {
		if string(key) != "data" {
			return r.skip()
		}
		return readValue(r, &e.Data)
	})
}

// readFrom implements valueDecoder for a paginator page.
func (p *Page[T]) readFrom(r *reader) error {
	return r.object(func(key []byte) error {
		switch string(key) {
		case "current_page":
			return r.scalar(&p.CurrentPage)
		case "from":
			return r.scalar(&p.From)
		case "last_page":
			return r.scalar(&p.LastPage)
		case "next_page_url":
			return r.scalar(&p.NextPageURL)
		case "per_page":
			return r.scalar(&p.PerPage)
		case "to":
			return r.scalar(&p.To)
		case "total":
			return r.scalar(&p.Total)
		case "data":
			if r.peek() == 'n' {
				p.Data = nil
				return r.skip()
			}
			p.Data = p.Data[:0]
			return r.array(func() error {
				p.Data = append(p.Data, *new(T))
				return readValue(r, &p.Data[len(p.Data)-1])
			})
		default:
			return r.skip()
		}
	})
}

// readFrom implements valueDecoder for FlexList.
func (l *FlexList[T]) readFrom(r *reader) error {
	v, err := readList(r, func(e *T) error { return readValue(r, e) })
	*l = v
	return err
}
