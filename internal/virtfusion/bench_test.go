package virtfusion

import (
	"bytes"
	"encoding/json"
	"testing"
)

// BenchmarkDecodeServer decodes the full §4.1 server object (remote state
// included), as GET /servers/{id}?remoteState=true returns it, the way the
// client does (decodeBody).
func BenchmarkDecodeServer(b *testing.B) {
	body := MustFixture(b, "server_remote_state.json")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var env envelope[Server]
		if err := decodeBody(body, &env); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeServerReference is BenchmarkDecodeServer with the
// encoding/json decoder the reader replaced: the reference for the ratio.
func BenchmarkDecodeServerReference(b *testing.B) {
	body := MustFixture(b, "server_remote_state.json")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var env envelope[refServer]
		if err := json.Unmarshal(body, &env); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeServerStdlib decodes through encoding/json, which calls
// Server.UnmarshalJSON (as a FlexList[Server] field would).
func BenchmarkDecodeServerStdlib(b *testing.B) {
	body := MustFixture(b, "server_remote_state.json")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var env struct{ Data Server }
		if err := json.Unmarshal(body, &env); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeServerList100 decodes a paginator page of 100 full server
// objects (GET /servers?type=full&results=100).
func BenchmarkDecodeServerList100(b *testing.B) {
	body := serverList100(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var p Page[Server]
		if err := decodeBody(body, &p); err != nil {
			b.Fatal(err)
		}
		if len(p.Data) != 100 {
			b.Fatalf("got %d servers", len(p.Data))
		}
	}
}

// BenchmarkDecodeServerList100Reference is the list with the encoding/json
// decoder the reader replaced.
func BenchmarkDecodeServerList100Reference(b *testing.B) {
	body := serverList100(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var p Page[refServer]
		if err := json.Unmarshal(body, &p); err != nil {
			b.Fatal(err)
		}
		if len(p.Data) != 100 {
			b.Fatalf("got %d servers", len(p.Data))
		}
	}
}

func serverList100(b *testing.B) []byte {
	var one struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(MustFixture(b, "server_remote_state.json"), &one); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	buf.WriteString(`{"current_page":1,"last_page":1,"per_page":100,"total":100,"from":1,"to":100,"next_page_url":null,"data":[`)
	for i := range 100 {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(one.Data)
	}
	buf.WriteString(`]}`)
	return buf.Bytes()
}
