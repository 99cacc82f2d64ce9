// Package discord posts vfpanel's staff alerts to a Discord channel
// through an incoming webhook, as embeds.
//
// Contracts followed (Discord developer docs):
//   - Execute Webhook: POST /api/webhooks/{id}/{token}?wait=true with a JSON
//     body of content and/or up to 10 embeds; 200 with the message
//     (https://discord.com/developers/docs/resources/webhook#execute-webhook).
//   - Embed limits: title 256, description 4096, 25 fields, field name 256,
//     field value 1024, footer 2048, author 256, 6000 in all
//     (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
//   - 429 answers carry a JSON body {message, retry_after (seconds, float),
//     global, code?} and a Retry-After header
//     (https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit).
package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Embed limits, in characters.
const (
	MaxTitle       = 256
	MaxDescription = 4096
	MaxFields      = 25
	MaxFieldName   = 256
	MaxFieldValue  = 1024
	MaxFooter      = 2048
	MaxAuthor      = 256
	MaxEmbedTotal  = 6000
	MaxEmbeds      = 10
	MaxContent     = 2000
)

// Message is the JSON body of Execute Webhook (the parts vfpanel uses).
type Message struct {
	Content  string  `json:"content,omitempty"`
	Username string  `json:"username,omitempty"`
	Embeds   []Embed `json:"embeds,omitempty"`
}

// Embed is a rich embed.
type Embed struct {
	Title       string  `json:"title,omitempty"`
	Description string  `json:"description,omitempty"`
	URL         string  `json:"url,omitempty"`
	Timestamp   string  `json:"timestamp,omitempty"` // ISO 8601
	Color       int     `json:"color,omitempty"`
	Footer      *Footer `json:"footer,omitempty"`
	Author      *Author `json:"author,omitempty"`
	Fields      []Field `json:"fields,omitempty"`
}

// Footer is an embed's footer.
type Footer struct {
	Text string `json:"text"`
}

// Author is an embed's author line.
type Author struct {
	Name string `json:"name"`
}

// Field is a name/value pair of an embed.
type Field struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline,omitempty"`
}

// RateLimit is Discord's 429 body.
type RateLimit struct {
	Message    string  `json:"message"`
	RetryAfter float64 `json:"retry_after"`
	Global     bool    `json:"global"`
	Code       int     `json:"code,omitempty"`
}

// Client posts to one webhook.
type Client struct {
	WebhookURL string
	Username   string // shown as the poster; empty: the webhook's name
	HTTP       *http.Client
	// MaxWait is the longest 429 retry_after the client sleeps through
	// before trying again; a longer one is returned as ERATELIMITED so the
	// caller can schedule the retry instead of holding a Lambda.
	MaxWait time.Duration
	Sleep   func(ctx context.Context, d time.Duration) error // injectable for tests
}

var _ panel.StaffNotifier = (*Client)(nil)

// New returns a client for webhookURL.
func New(webhookURL, username string) *Client {
	return &Client{WebhookURL: webhookURL, Username: username, HTTP: &http.Client{Timeout: 10 * time.Second},
		MaxWait: 5 * time.Second, Sleep: sleep}
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// NotifyStaff implements panel.StaffNotifier.
func (c *Client) NotifyStaff(ctx context.Context, a *panel.StaffAlert) error {
	return c.Post(ctx, &Message{Username: c.Username, Embeds: []Embed{FromAlert(a)}})
}

// FromAlert builds an embed from an alert, cut to Discord's limits.
func FromAlert(a *panel.StaffAlert) Embed {
	e := Embed{Title: cut(a.Title, MaxTitle), Description: cut(a.Description, MaxDescription), URL: a.URL,
		Color: a.Color & 0xFFFFFF}
	if !a.At.IsZero() {
		e.Timestamp = a.At.UTC().Format(time.RFC3339)
	}
	budget := MaxEmbedTotal - utf8.RuneCountInString(e.Title) - utf8.RuneCountInString(e.Description)
	for _, f := range a.Fields {
		if len(e.Fields) == MaxFields {
			break
		}
		name, value := cut(f.Name, MaxFieldName), cut(f.Value, MaxFieldValue)
		if name == "" || value == "" {
			continue // Discord refuses empty field names and values
		}
		n := utf8.RuneCountInString(name) + utf8.RuneCountInString(value)
		if n > budget {
			break
		}
		budget -= n
		e.Fields = append(e.Fields, Field{Name: name, Value: value, Inline: n < 60})
	}
	return e
}

// cut shortens s to max characters, marking the cut with an ellipsis.
func cut(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

// Post executes the webhook, sleeping through short rate limits.
func (c *Client) Post(ctx context.Context, m *Message) error {
	body, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("discord: marshal: %w", err)
	}
	u := c.WebhookURL
	if strings.Contains(u, "?") {
		u += "&wait=true"
	} else {
		u += "?wait=true"
	}
	for attempt := 0; ; attempt++ {
		wait, err := c.post(ctx, u, body)
		if err == nil || wait == 0 {
			return err
		}
		if wait > c.MaxWait || attempt >= 2 {
			return &panel.Error{Code: panel.ERATELIMITED, Message: "Discord asks to wait.",
				RetryAfter: int(math.Ceil(wait.Seconds())), Err: err}
		}
		if err := c.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("discord: wait for rate limit: %w", err)
		}
	}
}

// post makes one request; on 429 it returns how long Discord asks to wait.
func (c *Client) post(ctx context.Context, u string, body []byte) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return 0, &panel.Error{Code: panel.EINVALID, Message: "The Discord webhook URL is not valid.", Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "DiscordBot (https://github.com/vfpanel/vfpanel, 1)")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, &panel.Error{Code: panel.EUPSTREAM, Message: "Discord is not answering.", Err: fmt.Errorf("discord: post: %w", stripURL(err))}
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusNoContent:
		return 0, nil
	case resp.StatusCode == http.StatusTooManyRequests:
		var rl RateLimit
		wait := time.Second
		if json.Unmarshal(raw, &rl) == nil && rl.RetryAfter > 0 {
			wait = time.Duration(rl.RetryAfter * float64(time.Second))
		} else if s, err := strconv.ParseFloat(resp.Header.Get("Retry-After"), 64); err == nil && s > 0 {
			wait = time.Duration(s * float64(time.Second))
		}
		return wait, fmt.Errorf("discord: 429 (global %v), retry after %s", rl.Global, wait)
	case resp.StatusCode >= 500:
		return 0, &panel.Error{Code: panel.EUPSTREAM, Message: "Discord is not answering.",
			Err: fmt.Errorf("discord: status %d: %s", resp.StatusCode, raw)}
	default:
		// 400 (payload refused), 401/403/404 (webhook gone): retrying will not help.
		return 0, &panel.Error{Code: panel.EINVALID, Message: "Discord refused the alert.",
			Err: fmt.Errorf("discord: status %d: %s", resp.StatusCode, raw)}
	}
}

// stripURL keeps the webhook token (part of the URL) out of error text.
func stripURL(err error) error {
	if ue, ok := err.(interface{ Unwrap() error }); ok && strings.Contains(err.Error(), "/api/webhooks/") {
		return fmt.Errorf("request failed: %w", ue.Unwrap())
	}
	return err
}
