// Package mailpit runs Mailpit (github.com/axllent/mailpit), a real SMTP
// server with a mail API, built from its Go module into build/mailpit by
// `make mailpit`. The local runner and the tests (internal/mailpittest)
// start it on loopback ports.
package mailpit

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
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
// answers. The process dies with its parent; the caller may stop it sooner
// with the returned stop (it kills the process and waits for its exit).
func Start() (*Server, func(), error) { return StartOn(0, 0) }

// StartOn is Start on the given loopback ports (0: a free one).
func StartOn(smtpPort, httpPort int) (*Server, func(), error) {
	bin, err := Binary()
	if err != nil {
		return nil, nil, err
	}
	for _, p := range []*int{&smtpPort, &httpPort} {
		if *p == 0 {
			if *p, err = FreePort(); err != nil {
				return nil, nil, err
			}
		}
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
					// One goroutine waits for the process: a second Wait would block
					// (Go 1.27) or fail, so stop kills and reads that goroutine's result.
					stop := func() { _ = cmd.Process.Kill(); <-done }
					return s, stop, nil
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
