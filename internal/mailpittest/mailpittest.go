// Package mailpittest gives tests a real SMTP server: Mailpit
// (github.com/axllent/mailpit), built from the Go module into build/mailpit
// by `make mailpit` (or by the first test that needs it), started once per
// test process on free loopback ports. Tests read what was sent through
// Mailpit's HTTP API.
package mailpittest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Version is the Mailpit module version the Makefile and this package build.
const Version = "v1.33.1"

// Server is a running Mailpit.
type Server struct {
	SMTPHost string // 127.0.0.1
	SMTPPort int
	APIURL   string // http://127.0.0.1:<port>, the web UI and /api/v1
}

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
		shared, _, startErr = Start()
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
	return &Server{SMTPHost: host, SMTPPort: p, APIURL: strings.TrimSuffix(api, "/")}, nil
}

// Binary returns the path of the Mailpit binary: $MAILPIT_BIN, or
// build/mailpit in this repository, which it builds with `go install` when
// missing (the module's build cache makes later builds quick).
func Binary() (string, error) {
	if p := os.Getenv("MAILPIT_BIN"); p != "" {
		return p, nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(root, "build", "mailpit")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	cmd := exec.Command("go", "install", "github.com/axllent/mailpit@"+Version)
	cmd.Env = append(os.Environ(), "GOBIN="+filepath.Join(root, "build"))
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build mailpit (run `make mailpit`): %v: %s", err, out)
	}
	return bin, nil
}

// Start runs a new Mailpit on free loopback ports and waits until its API
// answers. The process dies with its parent; the caller may stop it with
// the returned command.
func Start() (*Server, *exec.Cmd, error) {
	bin, err := Binary()
	if err != nil {
		return nil, nil, err
	}
	smtpPort, err := FreePort()
	if err != nil {
		return nil, nil, err
	}
	httpPort, err := FreePort()
	if err != nil {
		return nil, nil, err
	}
	s := &Server{SMTPHost: "127.0.0.1", SMTPPort: smtpPort, APIURL: fmt.Sprintf("http://127.0.0.1:%d", httpPort)}
	cmd := exec.Command(bin, "--smtp", fmt.Sprintf("127.0.0.1:%d", smtpPort), "--listen", fmt.Sprintf("127.0.0.1:%d", httpPort),
		"--smtp-disable-rdns", "--enable-chaos", "--quiet")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("start mailpit: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(s.APIURL + "/api/v1/info")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", smtpPort), time.Second); err == nil {
					c.Close()
					return s, cmd, nil
				}
			}
		}
		select {
		case err := <-done:
			return nil, nil, fmt.Errorf("mailpit exited: %v: %s", err, stderr.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			return nil, nil, fmt.Errorf("mailpit did not answer within 20s: %s", stderr.String())
		}
	}
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

// FreePort returns a loopback TCP port nobody listens on right now.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}
