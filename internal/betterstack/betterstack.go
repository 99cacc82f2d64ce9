// Package betterstack reports to Better Stack Uptime: heartbeats of the
// scheduled work, so a missed or failed run raises an incident there.
//
// Heartbeat API (https://betterstack.com/docs/uptime/cron-and-heartbeat-monitor/):
// a GET or POST to the heartbeat's secret URL,
// https://uptime.betterstack.com/api/v1/heartbeat/<token>, records a beat;
// appending /fail reports a failure at once, and appending /<exit code>
// reports that code (0 success), with the request body kept as the output.
package betterstack

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Heartbeat is one heartbeat monitor. A zero URL makes every call a no-op,
// so a deployment without Better Stack needs no special case.
type Heartbeat struct {
	URL  string
	HTTP *http.Client // default: 10 s timeout
}

// maxOutput bounds the output sent with a failure.
const maxOutput = 10 << 10

// Beat reports a successful run.
func (h Heartbeat) Beat(ctx context.Context) error {
	return h.send(ctx, http.MethodGet, h.URL, "")
}

// Fail reports a failed run at once, with a short output explaining it
// (Better Stack shows it on the incident).
func (h Heartbeat) Fail(ctx context.Context, output string) error {
	if len(output) > maxOutput {
		output = output[:maxOutput]
	}
	return h.send(ctx, http.MethodPost, strings.TrimSuffix(h.URL, "/")+"/fail", output)
}

func (h Heartbeat) send(ctx context.Context, method, url, body string) error {
	if h.URL == "" {
		return nil
	}
	client := h.HTTP
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return fmt.Errorf("betterstack: heartbeat request: %w", err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	}
	resp, err := client.Do(req)
	if err != nil {
		// The URL holds the heartbeat's secret token: keep it out of logs.
		return fmt.Errorf("betterstack: heartbeat: %w", redact(err, h.URL))
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("betterstack: heartbeat: status %d", resp.StatusCode)
	}
	return nil
}

// redactedError hides the secret URL inside a transport error's text.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func redact(err error, url string) error {
	msg := err.Error()
	if i := strings.LastIndex(url, "/heartbeat/"); i >= 0 {
		msg = strings.ReplaceAll(msg, url[i+len("/heartbeat/"):], "<token>")
	}
	return &redactedError{msg: msg, err: err}
}
