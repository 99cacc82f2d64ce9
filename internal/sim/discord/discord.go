// Package discord simulates Discord's incoming webhooks for tests and
// make dev: Execute Webhook with JSON bodies, validated as strictly as
// Discord does, answered in Discord's shapes; it records every accepted
// post and can answer 429 on demand.
//
// Sources: Execute Webhook
// https://discord.com/developers/docs/resources/webhook#execute-webhook ;
// embed limits
// https://discord.com/developers/docs/resources/message#embed-object-embed-limits ;
// rate limit response
// https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit ;
// JSON error codes 10015 Unknown Webhook, 50006 Cannot send an empty
// message, 50035 Invalid Form Body
// https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes .
package discord

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// Sim is the simulator. Its zero value is not usable; call New.
type Sim struct {
	mu        sync.Mutex
	hooks     map[string]string // id -> token
	posts     []Post
	limitNext int
	limitFor  float64
	nextID    int64
}

// Post is an accepted webhook execution.
type Post struct {
	WebhookID string
	Body      ExecuteBody
	At        time.Time
}

// ExecuteBody is the JSON body Discord accepts (the fields vfpanel's
// client can send; others are refused as unknown by the strict decoder).
type ExecuteBody struct {
	Content   string  `json:"content,omitempty"`
	Username  string  `json:"username,omitempty"`
	AvatarURL string  `json:"avatar_url,omitempty"`
	TTS       bool    `json:"tts,omitempty"`
	Embeds    []Embed `json:"embeds,omitempty"`
}

// Embed is a rich embed as posted.
type Embed struct {
	Title       string `json:"title,omitempty"`
	Type        string `json:"type,omitempty"`
	Description string `json:"description,omitempty"`
	URL         string `json:"url,omitempty"`
	Timestamp   string `json:"timestamp,omitempty"`
	Color       *int   `json:"color,omitempty"`
	Footer      *struct {
		Text    string `json:"text"`
		IconURL string `json:"icon_url,omitempty"`
	} `json:"footer,omitempty"`
	Author *struct {
		Name string `json:"name"`
		URL  string `json:"url,omitempty"`
	} `json:"author,omitempty"`
	Fields []struct {
		Name   string `json:"name"`
		Value  string `json:"value"`
		Inline bool   `json:"inline,omitempty"`
	} `json:"fields,omitempty"`
}

// New returns an empty simulator.
func New() *Sim { return &Sim{hooks: map[string]string{}} }

// NewWebhook registers a webhook and returns its path,
// /api/webhooks/{id}/{token}; prefix it with the simulator's base URL.
func (s *Sim) NewWebhook() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b [16]byte
	_, _ = rand.Read(b[:])
	s.nextID++
	id := strconv.FormatInt(1_200_000_000_000_000_000+s.nextID, 10)
	s.hooks[id] = hex.EncodeToString(b[:])
	return "/api/webhooks/" + id + "/" + s.hooks[id]
}

// RateLimitNext makes the next n executions answer 429 asking to wait
// retryAfter seconds.
func (s *Sim) RateLimitNext(n int, retryAfter float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limitNext, s.limitFor = n, retryAfter
}

// Posts returns the accepted posts in order.
func (s *Sim) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Post(nil), s.posts...)
}

// Handler serves POST /api/webhooks/{id}/{token}.
func (s *Sim) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/webhooks/{id}/{token}", s.execute)
	return mux
}

type apiError struct {
	Code    int            `json:"code"`
	Message string         `json:"message"`
	Errors  map[string]any `json:"errors,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Sim) execute(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	token, ok := s.hooks[r.PathValue("id")]
	limited := s.limitNext > 0
	if limited {
		s.limitNext--
	}
	retry := s.limitFor
	s.mu.Unlock()
	if !ok || token != r.PathValue("token") {
		writeJSON(w, http.StatusNotFound, apiError{Code: 10015, Message: "Unknown Webhook"})
		return
	}
	if limited {
		h := w.Header()
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(retry))))
		h.Set("X-RateLimit-Limit", "5")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(retry, 'f', 3, 64))
		h.Set("X-RateLimit-Scope", "user")
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"message": "You are being rate limited.",
			"retry_after": retry, "global": false})
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		// Discord also takes multipart/form-data; vfpanel never sends it.
		writeJSON(w, http.StatusBadRequest, apiError{Code: 50006, Message: "Cannot send an empty message"})
		return
	}
	var body ExecuteBody
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Code: 50109, Message: "The request body contains invalid JSON."})
		return
	}
	if body.Content == "" && len(body.Embeds) == 0 {
		writeJSON(w, http.StatusBadRequest, apiError{Code: 50006, Message: "Cannot send an empty message"})
		return
	}
	if errs := Validate(&body); len(errs) > 0 {
		writeJSON(w, http.StatusBadRequest, apiError{Code: 50035, Message: "Invalid Form Body", Errors: errs})
		return
	}
	now := time.Now().UTC()
	s.mu.Lock()
	s.posts = append(s.posts, Post{WebhookID: r.PathValue("id"), Body: body, At: now})
	s.nextID++
	msgID := strconv.FormatInt(1_300_000_000_000_000_000+s.nextID, 10)
	s.mu.Unlock()
	if r.URL.Query().Get("wait") != "true" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	for i := range body.Embeds {
		body.Embeds[i].Type = "rich"
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": msgID, "type": 0, "content": body.Content,
		"channel_id": "1100000000000000001", "webhook_id": r.PathValue("id"), "embeds": body.Embeds,
		"timestamp": now.Format("2006-01-02T15:04:05.000000+00:00"), "tts": body.TTS, "attachments": []any{},
		"mentions": []any{}, "pinned": false, "flags": 0})
}

// Validate checks body against Discord's limits and returns errors keyed by
// the field path, like Discord's Invalid Form Body, or nil.
func Validate(b *ExecuteBody) map[string]any {
	errs := map[string]any{}
	bad := func(path, code, msg string) {
		errs[path] = map[string]any{"_errors": []map[string]string{{"code": code, "message": msg}}}
	}
	long := func(path, s string, max int) {
		if n := utf8.RuneCountInString(s); n > max {
			bad(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", max))
		}
	}
	long("content", b.Content, 2000)
	long("username", b.Username, 80)
	if len(b.Embeds) > 10 {
		bad("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
	}
	total := 0
	for i, e := range b.Embeds {
		p := fmt.Sprintf("embeds.%d.", i)
		long(p+"title", e.Title, 256)
		long(p+"description", e.Description, 4096)
		total += utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
		if e.Color != nil && (*e.Color < 0 || *e.Color > 0xFFFFFF) {
			bad(p+"color", "NUMBER_TYPE_MAX", "int value should be less than or equal to 16777215.")
		}
		if e.Timestamp != "" {
			if _, err := time.Parse(time.RFC3339, e.Timestamp); err != nil {
				bad(p+"timestamp", "DATE_TIME_TYPE_PARSE", "Could not parse "+e.Timestamp+". Should be ISO8601.")
			}
		}
		if e.Footer != nil {
			long(p+"footer.text", e.Footer.Text, 2048)
			total += utf8.RuneCountInString(e.Footer.Text)
		}
		if e.Author != nil {
			long(p+"author.name", e.Author.Name, 256)
			total += utf8.RuneCountInString(e.Author.Name)
		}
		if len(e.Fields) > 25 {
			bad(p+"fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
		}
		for j, f := range e.Fields {
			fp := fmt.Sprintf("%sfields.%d.", p, j)
			if f.Name == "" {
				bad(fp+"name", "BASE_TYPE_REQUIRED", "This field is required")
			}
			if f.Value == "" {
				bad(fp+"value", "BASE_TYPE_REQUIRED", "This field is required")
			}
			long(fp+"name", f.Name, 256)
			long(fp+"value", f.Value, 1024)
			total += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
		}
	}
	if total > 6000 {
		bad("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}
