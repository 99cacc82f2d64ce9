// Package mailpittest gives tests a real SMTP server: Mailpit, started by
// internal/mailpit once per test process on free loopback ports. Tests
// read what was sent through Mailpit's HTTP API.
package mailpittest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/mailpit"
)

// Version is the Mailpit module version the Makefile and this package build.
const Version = mailpit.Version

// Server is a running Mailpit with helpers for tests.
type Server struct{ *mailpit.Server }

// FreePort returns a loopback TCP port nobody listens on right now.
func FreePort() (int, error) { return mailpit.FreePort() }

var (
	once     sync.Once
	shared   *Server
	startErr error
)

// Shared returns this process's Mailpit, starting it on first use; a test
// that cannot get one fails. MAILPIT_SMTP (host:port) and MAILPIT_API (its
// HTTP URL), when both set, name a running Mailpit to use instead. Its
// chaos triggers (FailSMTP) are server-wide, so only test processes that
// do not run at the same time should share one.
func Shared(tb testing.TB) *Server {
	tb.Helper()
	once.Do(func() {
		if smtp, api := os.Getenv("MAILPIT_SMTP"), os.Getenv("MAILPIT_API"); smtp != "" || api != "" {
			shared, startErr = fromEnv(smtp, api)
			return
		}
		var s *mailpit.Server
		if s, _, startErr = mailpit.Start(); startErr == nil {
			shared = &Server{s}
		}
	})
	if startErr != nil {
		tb.Fatalf("mailpittest: Mailpit is needed and did not start: %v", startErr)
	}
	return shared
}

// fromEnv is the Mailpit MAILPIT_SMTP and MAILPIT_API name.
func fromEnv(smtp, api string) (*Server, error) {
	host, port, err := net.SplitHostPort(smtp)
	if err != nil || api == "" {
		return nil, fmt.Errorf("MAILPIT_SMTP=%q and MAILPIT_API=%q: want host:port and a URL, both set", smtp, api)
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return nil, fmt.Errorf("MAILPIT_SMTP=%q: bad port", smtp)
	}
	return &Server{&mailpit.Server{SMTPHost: host, SMTPPort: p, APIURL: strings.TrimSuffix(api, "/")}}, nil
}

// Address is an email address as Mailpit reports it.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Summary is one message in Mailpit's list.
type Summary struct {
	ID        string    `json:"ID"`
	MessageID string    `json:"MessageID"`
	From      Address   `json:"From"`
	To        []Address `json:"To"`
	Subject   string    `json:"Subject"`
	Created   time.Time `json:"Created"`
}

// Message is one message in full.
type Message struct {
	Summary
	Text string `json:"Text"`
	HTML string `json:"HTML"`
}

// To lists the messages sent to addr, newest first.
func (s *Server) To(tb testing.TB, addr string) []Summary {
	tb.Helper()
	var out struct {
		Messages []Summary `json:"messages"`
	}
	s.get(tb, "/api/v1/search?limit=500&query="+url.QueryEscape("to:"+addr), &out)
	// Mailpit's search matches substrings; keep exact recipients only.
	var list []Summary
	for _, m := range out.Messages {
		for _, to := range m.To {
			if to.Address == addr {
				list = append(list, m)
				break
			}
		}
	}
	return list
}

// Message reads one message by Mailpit's ID.
func (s *Server) Message(tb testing.TB, id string) *Message {
	tb.Helper()
	var m Message
	s.get(tb, "/api/v1/message/"+url.PathEscape(id), &m)
	return &m
}

// Headers reads one message's headers.
func (s *Server) Headers(tb testing.TB, id string) map[string][]string {
	tb.Helper()
	var h map[string][]string
	s.get(tb, "/api/v1/message/"+url.PathEscape(id)+"/headers", &h)
	return h
}

// FailSMTP makes Mailpit answer every recipient with code (a 4xx is a
// temporary failure), or accept mail again with code 0. It uses Mailpit's
// chaos triggers.
func (s *Server) FailSMTP(tb testing.TB, code int) {
	tb.Helper()
	prob := 100
	if code == 0 {
		code, prob = 451, 0
	}
	body, _ := json.Marshal(map[string]any{"Recipient": map[string]int{"ErrorCode": code, "Probability": prob}})
	req, _ := http.NewRequest(http.MethodPut, s.APIURL+"/api/v1/chaos", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("mailpittest: set chaos: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		tb.Fatalf("mailpittest: set chaos: status %d", resp.StatusCode)
	}
}

func (s *Server) get(tb testing.TB, path string, v any) {
	tb.Helper()
	resp, err := http.Get(s.APIURL + path)
	if err != nil {
		tb.Fatalf("mailpittest: GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		tb.Fatalf("mailpittest: GET %s: status %d", path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		tb.Fatalf("mailpittest: GET %s: decode: %v", path, err)
	}
}
