package virtfusion

import (
	"encoding/json"
	"reflect"
	"strconv"
	"testing"
)

// FuzzFlex: every lenient type decodes any JSON value without panicking,
// and a value written as a JSON string decodes as its unquoted form does
// (PHP sends "11811160064" and 11811160064 alike).
func FuzzFlex(f *testing.F) {
	for _, s := range []string{`0`, `1`, `-7`, `"42"`, `"11811160064"`, `1.5`, `"0.0100000000"`, `true`, `false`,
		`null`, `""`, `[]`, `{}`, `"2025-01-15T15:00:49+00:00"`, `"2025-01-20T12:48:20.000000Z"`, `"2025-01-06 00:00:00"`,
		`1736953249`, `{"0":"a","2":"b"}`, `["a","b"]`, `"yes"`, `"\u0000"`, `1e400`, `"NaN"`, `9223372036854775808`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var (
			i  FlexInt
			fl FlexFloat
			bo FlexBool
			st FlexString
			tm FlexTime
			ob FlexObject[map[string]FlexInt]
			mp FlexMap[FlexString]
			ls FlexList[FlexString]
			sv Server
			u  User
		)
		errInt := json.Unmarshal(b, &i)
		_ = json.Unmarshal(b, &fl)
		_ = json.Unmarshal(b, &bo)
		errStr := json.Unmarshal(b, &st)
		_ = json.Unmarshal(b, &tm)
		_ = json.Unmarshal(b, &ob)
		_ = json.Unmarshal(b, &mp)
		_ = json.Unmarshal(b, &ls)
		_ = json.Unmarshal(b, &sv)
		_ = json.Unmarshal(b, &u)
		if ob.Valid && ob.V == nil && string(b) != "{}" {
			// A valid object decoded into V; nil only for an empty or null-valued one.
			var m map[string]json.RawMessage
			if json.Unmarshal(b, &m) == nil && len(m) > 0 {
				t.Fatalf("FlexObject valid with nil V for %s", b)
			}
		}
		// A number literal and the same text as a JSON string decode alike.
		if errInt == nil && errStr == nil && len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9') {
			var j FlexInt
			q := strconv.Quote(string(st))
			if err := json.Unmarshal([]byte(q), &j); err != nil || j != i {
				t.Fatalf("FlexInt %s = %d but %s = %d (%v)", b, i, q, j, err)
			}
		}
	})
}

// FuzzDecodeServer: any bytes in a server's place either decode or fail
// with an error; the panel's derived views never panic on the result.
func FuzzDecodeServer(f *testing.F) {
	for _, name := range []string{"server_remote_state.json", "server_build.json", "user_servers.json", "server_secondary_interfaces.json"} {
		f.Add(MustFixture(f, name))
	}
	f.Add([]byte(`{"data":{"id":"7","network":{"interfaces":{},"secondaryInterfaces":[{"type":"private","ipv4":{"0":{"address":"10.0.0.1"}}}]},"remoteState":{"memory":[]}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var env envelope[Server]
		if json.Unmarshal(b, &env) != nil {
			return
		}
		s := env.Data
		_ = s.PrimaryIPv4()
		_ = s.PowerState()
		for _, a := range s.IPv4 {
			_ = a.Public()
		}
	})
}

// FuzzServerReader: wherever the encoding/json reference decoder accepts a
// server object, the one-pass reader accepts it too and decodes the same
// Server.
func FuzzServerReader(f *testing.F) {
	for _, name := range []string{"server_remote_state.json", "server_remote_state_false.json", "server_build.json",
		"server_create.json", "server_secondary_interfaces.json"} {
		var env struct{ Data json.RawMessage }
		if err := json.Unmarshal(MustFixture(f, name), &env); err != nil {
			f.Fatal(err)
		}
		f.Add([]byte(env.Data))
	}
	for _, s := range serverReaderCases {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var want Server
		if refDecodeServer(&want, b) != nil || !json.Valid(b) {
			return
		}
		var got Server
		if err := got.UnmarshalJSON(b); err != nil {
			t.Fatalf("reader refused what encoding/json accepts: %v\n%s", err, b)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("reader and reference differ for %s\n got %+v\nwant %+v", b, got, want)
		}
	})
}
