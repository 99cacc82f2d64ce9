// Package gemini is a client of Google's Gemini API (generateContent) and
// the AI drafter of staff's ticket replies (panel.ReplyDrafter).
//
// Contract: POST {base}/v1beta/models/{model}:generateContent with the key in
// x-goog-api-key; the answer's candidates[].content.parts[].text,
// finishReason, usageMetadata and, when the prompt itself was blocked,
// promptFeedback.blockReason with no candidates. Errors are
// {"error":{"code","message","status","details"}}; a 429 carries a
// google.rpc.RetryInfo detail with retryDelay ("37s").
// https://ai.google.dev/api/generate-content
package gemini

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Config configures a Client.
type Config struct {
	BaseURL string // https://generativelanguage.googleapis.com
	APIKey  string
	Model   string // e.g. gemini-2.5-flash
	// Timeout bounds one call; drafting must answer well inside API
	// Gateway's 30 s, so staff get a clear message instead of a 504.
	Timeout time.Duration
	HTTP    *http.Client
}

// Client calls generateContent.
type Client struct {
	cfg  Config
	http *http.Client
}

var _ panel.ReplyDrafter = (*Client)(nil)

// DefaultTimeout bounds a call when Config.Timeout is 0.
const DefaultTimeout = 20 * time.Second

// New returns a client.
func New(cfg Config) *Client {
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	hc := cfg.HTTP
	if hc == nil {
		hc = &http.Client{}
	}
	return &Client{cfg: cfg, http: hc}
}

// Part is one piece of content; vfpanel sends and reads text only.
type Part struct {
	Text string `json:"text"`
}

// Content is a turn of the conversation.
type Content struct {
	Role  string `json:"role,omitempty"` // "user" or "model"
	Parts []Part `json:"parts"`
}

// GenerationConfig tunes the answer.
type GenerationConfig struct {
	Temperature     float64 `json:"temperature"`
	MaxOutputTokens int     `json:"maxOutputTokens"`
}

// Request is the body of generateContent.
type Request struct {
	SystemInstruction *Content         `json:"systemInstruction,omitempty"`
	Contents          []Content        `json:"contents"`
	GenerationConfig  GenerationConfig `json:"generationConfig"`
}

// Candidate is one generated answer.
type Candidate struct {
	Content      *Content `json:"content"`
	FinishReason string   `json:"finishReason"`
	Index        int      `json:"index"`
}

// UsageMetadata counts tokens.
type UsageMetadata struct {
	PromptTokenCount     int `json:"promptTokenCount"`
	CandidatesTokenCount int `json:"candidatesTokenCount"`
	TotalTokenCount      int `json:"totalTokenCount"`
}

// PromptFeedback says why a prompt was blocked.
type PromptFeedback struct {
	BlockReason string `json:"blockReason"`
}

// Response is the answer of generateContent.
type Response struct {
	Candidates     []Candidate     `json:"candidates"`
	PromptFeedback *PromptFeedback `json:"promptFeedback"`
	UsageMetadata  UsageMetadata   `json:"usageMetadata"`
	ModelVersion   string          `json:"modelVersion"`
	ResponseID     string          `json:"responseId"`
}

// apiError is Google's error body.
type apiError struct {
	Error struct {
		Code    int               `json:"code"`
		Message string            `json:"message"`
		Status  string            `json:"status"`
		Details []json.RawMessage `json:"details"`
	} `json:"error"`
}

// Generate calls generateContent. Errors are *panel.Error: ETIMEOUT,
// ERATELIMITED (RetryAfter from RetryInfo or Retry-After), EUNAVAILABLE
// (5xx, unreachable, not set up), EUPSTREAM (refused: bad key, bad
// request, blocked prompt or answer).
func (c *Client) Generate(ctx context.Context, req Request) (*Response, error) {
	if c.cfg.APIKey == "" || c.cfg.Model == "" {
		return nil, panel.Errorf(panel.EUNAVAILABLE, "AI drafting is not set up (no Gemini API key). Write the reply yourself.")
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("gemini: marshal request: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	u := c.cfg.BaseURL + "/v1beta/models/" + url.PathEscape(c.cfg.Model) + ":generateContent"
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("gemini: new request: %w", err)
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("x-goog-api-key", c.cfg.APIKey)
	resp, err := c.http.Do(hr)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			return nil, &panel.Error{Code: panel.ETIMEOUT, Message: "The AI took too long to answer. Try again, or write the reply yourself.",
				Err: fmt.Errorf("gemini: generateContent: %w", err)}
		}
		return nil, &panel.Error{Code: panel.EUNAVAILABLE, Message: "The AI service cannot be reached. Write the reply yourself.",
			Err: fmt.Errorf("gemini: generateContent: %w", err)}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, &panel.Error{Code: panel.ETIMEOUT, Message: "The AI took too long to answer. Try again, or write the reply yourself.",
			Err: fmt.Errorf("gemini: read answer: %w", err)}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, statusError(resp, raw)
	}
	var out Response
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, &panel.Error{Code: panel.EUPSTREAM, Message: "The AI service answered something unreadable.",
			Err: fmt.Errorf("gemini: decode answer: %w", err)}
	}
	return &out, nil
}

// statusError maps an error answer to a panel error; the message from
// Google is logged (through Err), never shown: it may quote the request.
func statusError(resp *http.Response, raw []byte) error {
	var ae apiError
	_ = json.Unmarshal(raw, &ae)
	cause := fmt.Errorf("gemini: generateContent: %d %s: %s", resp.StatusCode, ae.Error.Status, ae.Error.Message)
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		wait := retryDelay(ae.Error.Details)
		if wait == 0 {
			if n, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && n > 0 {
				wait = n
			}
		}
		msg := "The AI service is busy. Try again in a minute, or write the reply yourself."
		if wait > 0 {
			msg = fmt.Sprintf("The AI service is busy. Try again in %d seconds, or write the reply yourself.", wait)
		}
		return &panel.Error{Code: panel.ERATELIMITED, RetryAfter: wait, Message: msg, Err: cause}
	case resp.StatusCode >= 500:
		return &panel.Error{Code: panel.EUNAVAILABLE, Message: "The AI service is having trouble. Try again later, or write the reply yourself.", Err: cause}
	default:
		return &panel.Error{Code: panel.EUPSTREAM, Message: "The AI service refused the request (check the Gemini API key and model).", Err: cause}
	}
}

// retryDelay returns the seconds of a google.rpc.RetryInfo detail, or 0.
func retryDelay(details []json.RawMessage) int {
	for _, d := range details {
		var ri struct {
			Type       string `json:"@type"`
			RetryDelay string `json:"retryDelay"`
		}
		if json.Unmarshal(d, &ri) != nil || ri.Type != "type.googleapis.com/google.rpc.RetryInfo" {
			continue
		}
		if dur, err := time.ParseDuration(ri.RetryDelay); err == nil && dur > 0 {
			return int((dur + time.Second - 1) / time.Second)
		}
	}
	return 0
}

// Text is the first candidate's text, or an error saying why there is
// none (a blocked prompt, a blocked or empty answer).
func (r *Response) Text() (string, error) {
	if r.PromptFeedback != nil && r.PromptFeedback.BlockReason != "" {
		return "", panel.Errorf(panel.EUPSTREAM, "The AI declined this thread (blocked: %s). Write the reply yourself.", r.PromptFeedback.BlockReason)
	}
	if len(r.Candidates) == 0 {
		return "", panel.Errorf(panel.EUPSTREAM, "The AI gave no answer. Write the reply yourself.")
	}
	c := r.Candidates[0]
	var b strings.Builder
	if c.Content != nil {
		for _, p := range c.Content.Parts {
			b.WriteString(p.Text)
		}
	}
	text := strings.TrimSpace(b.String())
	switch {
	case c.FinishReason == "SAFETY" || c.FinishReason == "PROHIBITED_CONTENT" || c.FinishReason == "BLOCKLIST" ||
		c.FinishReason == "SPII" || c.FinishReason == "RECITATION":
		return "", panel.Errorf(panel.EUPSTREAM, "The AI's answer was blocked (%s). Write the reply yourself.", c.FinishReason)
	case text == "":
		return "", panel.Errorf(panel.EUPSTREAM, "The AI gave an empty answer (%s). Write the reply yourself.", c.FinishReason)
	}
	return text, nil
}

// system tells the model what it is for.
const system = `You draft replies for the support staff of a VPS hosting company.
Write one reply to the customer's latest message, in Markdown, friendly and concise.
Use only facts from the ticket, the customer's account summary and the company knowledge below; never invent
prices, policies or server details. If something needs checking, say staff will check. Do not include internal
notes' content the customer should not see. Sign with the staff member's first name.`

// DraftReply implements panel.ReplyDrafter.
func (c *Client) DraftReply(ctx context.Context, req panel.DraftRequest) (*panel.Draft, error) {
	resp, err := c.Generate(ctx, Prompt(req))
	if err != nil {
		return nil, err
	}
	text, err := resp.Text()
	if err != nil {
		return nil, err
	}
	model := resp.ModelVersion
	if model == "" {
		model = c.cfg.Model
	}
	return &panel.Draft{Text: text, Model: model, PromptTokens: resp.UsageMetadata.PromptTokenCount,
		OutputTokens: resp.UsageMetadata.CandidatesTokenCount}, nil
}

// Prompt is the generateContent request for a draft: the instructions as
// the system instruction, and one user turn with the knowledge, the
// account summary and the thread.
func Prompt(req panel.DraftRequest) Request {
	var b strings.Builder
	b.WriteString("# Company knowledge (canned replies)\n")
	for _, k := range req.Knowledge {
		fmt.Fprintf(&b, "## %s\n%s\n\n", k.Title, k.Body)
	}
	b.WriteString("# Customer account\n")
	b.WriteString(req.Customer)
	t := req.Ticket
	fmt.Fprintf(&b, "\n# Ticket\nSubject: %s\nCategory: %s\nPriority: %s\nStatus: %s\n", t.Subject, t.Category, t.Priority, t.Status)
	if t.ServerID > 0 {
		fmt.Fprintf(&b, "About server %d %q\n", t.ServerID, t.ServerName)
	}
	b.WriteString("\n# Thread, oldest first\n")
	for _, m := range req.Messages {
		who := "Customer"
		switch {
		case m.Internal:
			who = "Internal staff note (never quote to the customer)"
		case m.Staff:
			who = "Staff " + m.AuthorName
		}
		fmt.Fprintf(&b, "--- %s, %s\n%s\n", who, m.CreatedAt.UTC().Format("2 Jan 2006 15:04 UTC"), m.Body)
	}
	fmt.Fprintf(&b, "\n# Task\nDraft the next reply from staff member %s.\n", req.StaffName)
	return Request{SystemInstruction: &Content{Parts: []Part{{Text: system}}},
		Contents:         []Content{{Role: "user", Parts: []Part{{Text: b.String()}}}},
		GenerationConfig: GenerationConfig{Temperature: 0.4, MaxOutputTokens: 4096}}
}
