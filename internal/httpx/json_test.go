package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/vfpanel/vfpanel/internal/panel"
)

type decodeTarget struct {
	Amount   string     `json:"amount"`
	Count    int64      `json:"count"`
	Ratio    float64    `json:"ratio"`
	On       bool       `json:"on"`
	IDs      []int64    `json:"ids"`
	Inner    *inner     `json:"inner"`
	Tags     []string   `json:"tags"`
	Optional *string    `json:"optional"`
	IP       netip.Addr `json:"ip"`
}

type inner struct {
	Name string `json:"name"`
}

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		status  int // 0: no error
		message string
		// messageRE is for messages that differ between Go releases (encoding/json's byte offsets).
		messageRE string
		fields    map[string]string
	}{
		{name: "OK", body: `{"amount":"5.00","count":2,"ids":[1,2],"inner":{"name":"a"}}`},
		{name: "OKWhitespace", body: " \n{\"amount\":\"5.00\"}\n "},
		{name: "ErrEmpty", body: "", status: 400, message: "The request body is empty; send a JSON object."},
		{name: "ErrBlank", body: "  \n", status: 400, message: "The request body is empty; send a JSON object."},
		{name: "ErrWrongTypeString", body: `{"amount":5}`, status: 400,
			fields: map[string]string{"amount": "Must be a string."}},
		{name: "ErrWrongTypeNumber", body: `{"count":"2"}`, status: 400,
			fields: map[string]string{"count": "Must be a whole number in range."}},
		{name: "ErrFraction", body: `{"count":1.5}`, status: 400,
			fields: map[string]string{"count": "Must be a whole number in range."}},
		{name: "ErrOverflow", body: `{"count":99999999999999999999}`, status: 400,
			fields: map[string]string{"count": "Must be a whole number in range."}},
		{name: "ErrBool", body: `{"on":"yes"}`, status: 400, fields: map[string]string{"on": "Must be true or false."}},
		{name: "ErrList", body: `{"ids":{}}`, status: 400, fields: map[string]string{"ids": "Must be a list."}},
		{name: "ErrNestedType", body: `{"inner":{"name":[]}}`, status: 400,
			fields: map[string]string{"inner.name": "Must be a string."}},
		{name: "ErrTextTypeNotString", body: `{"ip":5}`, status: 400, fields: map[string]string{"ip": "Must be a string."}},
		{name: "ErrNotObject", body: `[1,2]`, status: 400, message: "The request body must be a JSON object."},
		{name: "ErrUnknownField", body: `{"amount":"1","admin":true}`, status: 400,
			fields: map[string]string{"admin": "Is not a field of this request."}},
		{name: "ErrDuplicate", body: `{"amount":"1","amount":"1000"}`, status: 400,
			fields: map[string]string{"amount": "Appears more than once; send it once."}},
		{name: "ErrDuplicateCase", body: `{"amount":"1","AMOUNT":"1000"}`, status: 400,
			fields: map[string]string{"AMOUNT": "Appears more than once; send it once."}},
		{name: "ErrDuplicateNested", body: `{"inner":{"name":"a","name":"b"}}`, status: 400,
			fields: map[string]string{"inner.name": "Appears more than once; send it once."}},
		{name: "ErrDuplicateInList", body: `{"ids":[],"tags":[],"x":[{"a":1,"a":2}]}`, status: 400,
			fields: map[string]string{"x[0].a": "Appears more than once; send it once."}},
		{name: "OKSameNameDifferentObjects", body: `{"inner":{"name":"a"},"amount":"name"}`},
		{name: "ErrTrailing", body: `{"amount":"1"}{"amount":"2"}`, status: 400,
			message: "The request body has data after the JSON value."},
		{name: "ErrTrailingGarbage", body: `{"amount":"1"} x`, status: 400,
			message: "The request body has data after the JSON value."},
		{name: "ErrSyntax", body: `{"amount":}`, status: 400, messageRE: `^The request body is not valid JSON \(at byte 1[01]\)\.$`},
		{name: "ErrTruncated", body: `{"amount":"1"`, status: 400, message: "The request body ends before the JSON value does."},
		{name: "ErrInvalidUTF8", body: "{\"amount\":\"\xff\"}", status: 400, message: "The request body is not valid UTF-8 text."},
		{name: "ErrTooDeep", body: `{"inner":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, status: 400,
			message: "The request body is nested too deeply."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v decodeTarget
			err := DecodeJSON([]byte(tt.body), &v)
			if tt.status == 0 {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			var pe *panel.Error
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *panel.Error", err)
			}
			if got := StatusOf(pe.Code); got != tt.status {
				t.Errorf("status: got %d, want %d", got, tt.status)
			}
			if tt.messageRE != "" && !regexp.MustCompile(tt.messageRE).MatchString(pe.Message) {
				t.Errorf("message: got %q, want a match of %s", pe.Message, tt.messageRE)
			}
			if tt.message != "" && pe.Message != tt.message {
				t.Errorf("message: got %q, want %q", pe.Message, tt.message)
			}
			if tt.fields != nil && !maps.Equal(pe.Fields, tt.fields) {
				t.Errorf("fields: got %v, want %v", pe.Fields, tt.fields)
			}
			assertNoGoInternals(t, pe)
		})
	}
}

// assertNoGoInternals fails if what the client sees names Go or encoding/json.
func assertNoGoInternals(t *testing.T, pe *panel.Error) {
	t.Helper()
	shown := pe.Message
	for k, v := range pe.Fields {
		shown += " " + k + " " + v
	}
	for _, leak := range []string{"json:", "Go ", "struct", "unmarshal", "decodeTarget", "int64", "of type"} {
		if strings.Contains(shown, leak) {
			t.Errorf("client text %q leaks %q", shown, leak)
		}
	}
}

// TestDecodeTooLarge: a body over MaxBodyBytes is a 413, whatever it holds.
func TestDecodeTooLarge(t *testing.T) {
	body := `{"amount":"` + strings.Repeat("1", MaxBodyBytes) + `"}`
	r := httptest.NewRequest("POST", "/api/x", strings.NewReader(body))
	_, err := Decode[decodeTarget](r)
	if got := panel.ErrorCode(err); got != panel.ETOOLARGE {
		t.Fatalf("got %v, want %s", err, panel.ETOOLARGE)
	}
	if StatusOf(panel.ETOOLARGE) != 413 {
		t.Errorf("status: got %d, want 413", StatusOf(panel.ETOOLARGE))
	}
}

type validated struct {
	Name string `json:"name"`
}

func (v *validated) Valid() map[string]string {
	if v.Name == "" {
		return map[string]string{"name": "Enter a name."}
	}
	return nil
}

func TestDecodeValidates(t *testing.T) {
	r := httptest.NewRequest("POST", "/api/x", strings.NewReader(`{"name":""}`))
	_, err := Decode[validated](r)
	var pe *panel.Error
	if !errors.As(err, &pe) || pe.Fields["name"] != "Enter a name." {
		t.Fatalf("got %v, want the field error from Valid", err)
	}
}

// FuzzDecodeJSON: any input either decodes to a value whose re-encoding
// decodes to the same value, or fails with an EINVALID error in our words.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"amount":"5.00","count":2,"ratio":0.5,"on":true,"ids":[1,2],"inner":{"name":"a"},"tags":["x"],"optional":null}`,
		`{"amount":5}`, `{"amount":"1","amount":"2"}`, `{"inner":{"name":"a","NAME":"b"}}`,
		`{"amount":"1"} {}`, `[]`, `null`, `"x"`, `{"count":1e400}`, `{"x":{"y":[{"z":1}]}}`,
		"{\"amount\":\"\xed\xa0\x80\"}", `{"amount":"\ud800"}`, strings.Repeat("[", 100),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v decodeTarget
		err := DecodeJSON(data, &v)
		if err != nil {
			var pe *panel.Error
			if !errors.As(err, &pe) || pe.Code != panel.EINVALID {
				t.Fatalf("got %v, want an EINVALID *panel.Error", err)
			}
			assertNoGoInternals(t, pe)
			return
		}
		// What was accepted is one valid JSON value of valid UTF-8.
		if !json.Valid(data) {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var again decodeTarget
		if err := DecodeJSON(out, &again); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		if out2, _ := json.Marshal(again); !bytes.Equal(out, out2) {
			t.Fatalf("round trip: got %s, want %s", out2, out)
		}
	})
}
