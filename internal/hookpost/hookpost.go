// Package hookpost posts customer notifications to the customer's own chat
// webhook: Discord's Execute Webhook (embeds, through internal/discord) for
// Discord URLs, and a Slack-compatible {"text": …} body for any other
// (Slack incoming webhooks, Mattermost, Rocket.Chat and others accept it).
//
// The URL is the customer's, so the poster guards the network: outside
// local development it connects only to public addresses (checked on the
// resolved address at dial time, so a host name pointing inside is refused
// too), follows no redirects, and keeps the URL (it holds the webhook's
// token) out of every error.
package hookpost

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/vfpanel/vfpanel/internal/discord"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Poster posts to customer webhooks.
type Poster struct {
	HTTP *http.Client
	// AllowPrivate allows http and internal addresses (make dev and tests,
	// where the Discord simulator listens on loopback).
	AllowPrivate bool
	Username     string // shown as the poster on Discord
}

var _ panel.HookPoster = (*Poster)(nil)

var errPrivate = errors.New("hookpost: the webhook resolves to a non-public address")

// New returns a poster; allowPrivate as for Poster.AllowPrivate.
func New(username string, allowPrivate bool) *Poster {
	d := &net.Dialer{Timeout: 5 * time.Second}
	if !allowPrivate {
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !panel.PublicAddr(ap.Addr()) {
				return errPrivate
			}
			return nil
		}
	}
	tr := &http.Transport{DialContext: d.DialContext, TLSHandshakeTimeout: 5 * time.Second, MaxIdleConns: 10,
		IdleConnTimeout: 30 * time.Second}
	return &Poster{AllowPrivate: allowPrivate, Username: username, HTTP: &http.Client{Timeout: 10 * time.Second, Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// IsDiscord reports whether raw is a Discord webhook URL (by host, or by
// Discord's path shape for the simulator).
func IsDiscord(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	h := strings.ToLower(u.Hostname())
	return h == "discord.com" || h == "discordapp.com" || strings.HasSuffix(h, ".discord.com") ||
		strings.HasPrefix(u.Path, "/api/webhooks/")
}

// PostHook implements panel.HookPoster.
func (p *Poster) PostHook(ctx context.Context, raw string, a *panel.StaffAlert) error {
	if msg := panel.CheckWebhookURL(raw, p.AllowPrivate); msg != "" {
		return &panel.Error{Code: panel.EINVALID, Message: "The webhook URL is not allowed: " + msg}
	}
	if IsDiscord(raw) {
		c := &discord.Client{WebhookURL: raw, Username: p.Username, HTTP: p.HTTP, MaxWait: 5 * time.Second,
			Sleep: func(ctx context.Context, d time.Duration) error {
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(d):
					return nil
				}
			}}
		err := c.Post(ctx, &discord.Message{Username: p.Username, Embeds: []discord.Embed{discord.FromAlert(a)}})
		return scrub(err, raw)
	}
	text := a.Title
	if a.Description != "" {
		text += "\n" + a.Description
	}
	body, err := json.Marshal(map[string]string{"text": text})
	if err != nil {
		return fmt.Errorf("hookpost: marshal: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, raw, bytes.NewReader(body))
	if err != nil {
		return &panel.Error{Code: panel.EINVALID, Message: "The webhook URL is not valid."}
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.HTTP.Do(req)
	if err != nil {
		if errors.Is(err, errPrivate) {
			return &panel.Error{Code: panel.EINVALID, Message: "The webhook URL points to a non-public address."}
		}
		return &panel.Error{Code: panel.EUPSTREAM, Message: "The webhook is not answering.", Err: scrub(err, raw)}
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode/100 == 2:
		return nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return &panel.Error{Code: panel.EUPSTREAM, Message: "The webhook is not answering.",
			Err: fmt.Errorf("hookpost: status %d", resp.StatusCode)}
	default:
		return &panel.Error{Code: panel.EINVALID, Message: "The webhook refused the message.",
			Err: fmt.Errorf("hookpost: status %d", resp.StatusCode)}
	}
}

// scrub removes the URL (with its token) from err's text.
func scrub(err error, raw string) error {
	if err == nil || !strings.Contains(err.Error(), raw) {
		return err
	}
	var pe *panel.Error
	if errors.As(err, &pe) && pe.Err != nil {
		return &panel.Error{Code: pe.Code, Message: pe.Message, RetryAfter: pe.RetryAfter,
			Err: errors.New(strings.ReplaceAll(pe.Err.Error(), raw, "<webhook>"))}
	}
	return errors.New(strings.ReplaceAll(err.Error(), raw, "<webhook>"))
}
