package httpx

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// HandlerFunc is a handler that returns its error instead of writing it.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// ServeHTTP sends any returned error to WriteError, so no handler forgets.
func (f HandlerFunc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := f(w, r); err != nil {
		WriteError(w, r, err)
	}
}

// Validator is implemented by request types; it returns problems by field.
type Validator interface {
	Valid() map[string]string
}

// Decode reads a JSON body of at most MaxBodyBytes into T (see DecodeJSON),
// then validates it if T implements Validator.
func Decode[T any](r *http.Request) (T, error) {
	var v T
	if r.Body == nil {
		return v, errEmptyBody
	}
	// Wrap already limits the body; this keeps the limit when it is skipped.
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return v, &panel.Error{Code: panel.ETOOLARGE, Message: "The request body is too large.", Err: err}
		}
		return v, &panel.Error{Code: panel.EINVALID, Message: "The request body could not be read.", Err: err}
	}
	if err := DecodeJSON(body, &v); err != nil {
		return v, err
	}
	if val, ok := any(&v).(Validator); ok {
		if problems := val.Valid(); len(problems) > 0 {
			return v, panel.Invalid(problems)
		}
	}
	return v, nil
}

// maxJSONDepth bounds nesting; no request is deeper than a few levels.
const maxJSONDepth = 32

var errEmptyBody = panel.Errorf(panel.EINVALID, "The request body is empty; send a JSON object.")

// DecodeJSON decodes one JSON value from data into v, strictly: the data must
// be valid UTF-8 (encoding/json would silently replace bad bytes), hold
// exactly one value with no trailing data, name no member twice in any
// object (encoding/json keeps the last; names are compared as encoding/json
// matches them, ignoring case), nest at most maxJSONDepth deep, and name no
// field v lacks. Every failure is an EINVALID *panel.Error whose message and
// fields are ours, never encoding/json's text (that stays in Err, for logs).
func DecodeJSON(data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return errEmptyBody
	}
	if !utf8.Valid(data) {
		return panel.Errorf(panel.EINVALID, "The request body is not valid UTF-8 text.")
	}
	if err := checkShape(data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err, v)
	}
	return nil
}

// checkShape walks data's tokens: one value, no duplicate names, bounded depth.
func checkShape(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := walkValue(dec, "", 0); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return &panel.Error{Code: panel.EINVALID, Message: "The request body has data after the JSON value.", Err: err}
	}
	return nil
}

// walkValue consumes one value from dec; path names it for field errors
// ("server.name", "sshKeyIds[2]").
func walkValue(dec *json.Decoder, path string, depth int) error {
	tok, err := dec.Token()
	if err != nil {
		return syntaxError(err)
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	if depth >= maxJSONDepth {
		return panel.Errorf(panel.EINVALID, "The request body is nested too deeply.")
	}
	switch delim {
	case '{':
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return syntaxError(err)
			}
			name, _ := tok.(string)
			member := name
			if path != "" {
				member = path + "." + name
			}
			folded := strings.ToLower(strings.ToUpper(name))
			if seen[folded] {
				return panel.Invalid(map[string]string{member: "Appears more than once; send it once."})
			}
			seen[folded] = true
			if err := walkValue(dec, member, depth+1); err != nil {
				return err
			}
		}
	case '[':
		for i := 0; dec.More(); i++ {
			if err := walkValue(dec, path+"["+strconv.Itoa(i)+"]", depth+1); err != nil {
				return err
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing delimiter
		return syntaxError(err)
	}
	return nil
}

func syntaxError(err error) error {
	var syn *json.SyntaxError
	// Since Go 1.27 a truncated value is a SyntaxError with this text, no longer io.EOF.
	truncated := errors.As(err, &syn) && strings.HasSuffix(syn.Error(), "unexpected end of JSON input")
	if truncated || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &panel.Error{Code: panel.EINVALID, Message: "The request body ends before the JSON value does.", Err: err}
	}
	if syn != nil {
		return &panel.Error{Code: panel.EINVALID, Err: err,
			Message: fmt.Sprintf("The request body is not valid JSON (at byte %d).", syn.Offset)}
	}
	return &panel.Error{Code: panel.EINVALID, Message: "The request body is not valid JSON.", Err: err}
}

// decodeError turns encoding/json's error into ours: field errors for values
// of the wrong type and unknown fields.
func decodeError(err error, v any) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		if typeErr.Field == "" {
			return &panel.Error{Code: panel.EINVALID, Err: err,
				Message: "The request body must be " + kindPhrase(reflect.TypeOf(v)) + "."}
		}
		return &panel.Error{Code: panel.EINVALID, Message: "Some fields are invalid.", Err: err,
			Fields: map[string]string{typeErr.Field: "Must be " + kindPhrase(typeErr.Type) + "."}}
	}
	// encoding/json has no type for this one; its text is `json: unknown field "x"`.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if n, uerr := strconv.Unquote(name); uerr == nil {
			name = n
		}
		return &panel.Error{Code: panel.EINVALID, Message: "Some fields are invalid.", Err: err,
			Fields: map[string]string{name: "Is not a field of this request."}}
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return syntaxError(err)
	}
	return &panel.Error{Code: panel.EINVALID, Message: "The request body does not have the expected form.", Err: err}
}

// kindPhrase names a Go type as a JSON value kind, in the customer's words.
func kindPhrase(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "a JSON value"
	}
	// Types such as time.Time read themselves from a JSON string.
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		return "a string"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number in range"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "a JSON object"
	}
	return "a JSON value of another type"
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// Encode writes v as JSON with the given status.
func Encode(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if v == nil {
		return nil
	}
	return json.NewEncoder(w).Encode(v)
}

// NoContent writes 204. The API Gateway adapter needs an explicit status.
func NoContent(w http.ResponseWriter) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}
