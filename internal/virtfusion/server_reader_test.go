package virtfusion

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// serverReaderCases are PHP's loose shapes the reader must read as the
// encoding/json reference does.
var serverReaderCases = []string{
	`{}`,
	`null`,
	`{"id":"7","ownerId":0,"owner":{"id":"3","email":"x"},"commissionStatus":null,"commissioned":"3"}`,
	`{"ID":9,"Name":"upper","HOSTNAME":5,"owner":4}`,
	`{"n\u0061me":"escaped key","hostname":"a\"b\\c\u00e9"}`,
	`{"network":{"interfaces":{},"secondaryInterfaces":[{"type":"private","ipv4":{"2":{"address":"10.0.0.2"},"0":{"address":"10.0.0.1","resolver2":"1.1.1.1"}}}]}}`,
	`{"network":{"interfaces":[{"name":"eth0","ipv6":[{"subnet":"2001:db8::","cidr":"64","addresses":["2001:db8::1",2]}]}]}}`,
	`{"remoteState":{"memory":[],"disk":[{"rd.bytes":"5"}],"running":null,"state":"running","cpu":"0.0100000000"}}`,
	`{"remoteState":{"disk":{"vda":{"capacity":1e3},"vdb":null},"agent":{"fsinfo":{}},"running":0}}`,
	`{"remoteState":false,"vnc":false,"os":"","tasks":[],"hypervisor":null,"backupPlan":[]}`,
	`{"settings":{"resources":{"memory":"1024","cpuCores":true}},"resources":{"memory":2048}}`,
	`{"resources":{"memory":2048,"traffic":"0"},"traffic":{"public":{"currentPeriod":{"limit":0}}}}`,
	`{"settings":{"osTemplateInstallId":1},"settings":{"decryptedPassword":"p"}}`,
	`{"vnc":{"port":"5900","enabled":"1","wss":{"token":"t","url":"/vnc"}},"vnc":{"ip":"1.2.3.4"}}`,
	`{"tasks":{"active":1,"actions":{"pending":[{"action":"Create HDD"},null,{"action":2}]}}}`,
	`{"built":"2025-01-06 00:00:00","created":1736953249,"updated":false,"built":"2025-01-15T15:00:49+00:00"}`,
	` {"id" : 1 , "name" : "spaced" } `,
}

// TestServerReaderMatchesReference: every server fixture and loose shape
// decodes through the one-pass reader as through encoding/json.
func TestServerReaderMatchesReference(t *testing.T) {
	inputs := map[string][]byte{}
	for _, name := range []string{"server_remote_state.json", "server_remote_state_false.json", "server_build.json",
		"server_create.json", "server_secondary_interfaces.json"} {
		var env struct{ Data json.RawMessage }
		if err := json.Unmarshal(MustFixture(t, name), &env); err != nil {
			t.Fatal(err)
		}
		inputs[name] = env.Data
	}
	for i, s := range serverReaderCases {
		inputs["case"+string(rune('A'+i))] = []byte(s)
	}
	for name, b := range inputs {
		t.Run(name, func(t *testing.T) {
			var want, got Server
			if err := refDecodeServer(&want, b); err != nil {
				t.Fatalf("reference: %v", err)
			}
			if err := got.UnmarshalJSON(b); err != nil {
				t.Fatalf("reader: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v\nwant %+v", got, want)
			}
		})
	}
}

// TestServerReaderRejects: malformed JSON is an error, never a partial
// server.
func TestServerReaderRejects(t *testing.T) {
	for name, s := range map[string]string{
		"Truncated":        `{"id":1,"name":"x"`,
		"TrailingGarbage":  `{"id":1} x`,
		"TwoValues":        `{} {}`,
		"BadEscape":        `{"name":"a\qb"}`,
		"ShortUnicode":     `{"name":"\u12"}`,
		"ControlChar":      "{\"name\":\"a\x01b\"}",
		"LeadingZero":      `{"id":01}`,
		"BareMinus":        `{"id":-}`,
		"BadExponent":      `{"id":1e}`,
		"BadLiteral":       `{"suspended":tru}`,
		"MissingColon":     `{"id" 1}`,
		"TrailingComma":    `{"id":1,}`,
		"ArrayTrailing":    `{"network":{"interfaces":[{},]}}`,
		"UnquotedKey":      `{id:1}`,
		"NotAnObject":      `[1]`,
		"StringAsInt":      `{"id":"seven"}`,
		"ObjectAsString":   `{"name":{"a":1}}`,
		"NonIndexListKey":  `{"network":{"interfaces":{"a":{}}}}`,
		"UnclosedSkipped":  `{"unknown":[1,2`,
		"Empty":            ``,
		"DeepNesting":      `{"x":` + strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1) + `}`,
		"InvalidInSkipped": `{"settings":{"config":{"a":[1 2]}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			var s1 Server
			if err := s1.UnmarshalJSON([]byte(s)); err == nil {
				t.Errorf("accepted %q: %+v", s, s1)
			}
		})
	}
}

// TestDecodeBody: the client's decode of a page and of a user's server
// list (the fast path) gives what encoding/json gives.
func TestDecodeBody(t *testing.T) {
	t.Run("Page", func(t *testing.T) {
		var got, want Page[Server]
		body := MustFixture(t, "servers_page.json")
		if err := decodeBody(body, &got); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(body, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) || len(got.Data) == 0 {
			t.Errorf("got %+v\nwant %+v", got, want)
		}
	})
	t.Run("UserServers", func(t *testing.T) {
		var got, want envelope[FlexList[Server]]
		body := MustFixture(t, "user_servers.json")
		if err := decodeBody(body, &got); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(body, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) || len(got.Data) == 0 {
			t.Errorf("got %+v\nwant %+v", got, want)
		}
	})
	t.Run("PageDataNotAList", func(t *testing.T) {
		var p Page[Server]
		if err := decodeBody([]byte(`{"data":{"id":1}}`), &p); err == nil {
			t.Error("accepted an object as the page's data")
		}
	})
}
