// Package gemini simulates Google's Gemini API generateContent for tests
// and make dev, answering in the real API's JSON shapes: candidates with
// content parts, finishReason and safetyRatings, usageMetadata,
// modelVersion and responseId; promptFeedback.blockReason with no
// candidates for a blocked prompt; a SAFETY finish with no content for a
// blocked answer; Google's error body for 400/403/404/429 (with a
// google.rpc.RetryInfo detail) and 5xx. It refuses what the real API
// refuses: a missing or wrong key, an unknown model, unknown JSON fields,
// no contents, empty parts, a role other than user or model.
//
// Sources: https://ai.google.dev/api/generate-content ,
// https://ai.google.dev/gemini-api/docs/troubleshooting (error codes),
// https://ai.google.dev/gemini-api/docs/rate-limits .
package gemini

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Failure modes for the next calls.
const (
	ModeBlockPrompt = "block-prompt" // promptFeedback.blockReason SAFETY, no candidates
	ModeSafety      = "safety"       // candidate finishReason SAFETY, no content
	ModeRateLimit   = "rate-limit"   // 429 RESOURCE_EXHAUSTED with RetryInfo
	ModeInternal    = "internal"     // 500 INTERNAL
	ModeUnavailable = "unavailable"  // 503 UNAVAILABLE (model overloaded)
	ModeSlow        = "slow"         // answers after Delay
)

// Sim is the simulator. Its zero value is not usable; call New.
type Sim struct {
	mu       sync.Mutex
	key      string
	models   map[string]bool
	modes    []string
	delay    time.Duration
	retry    string
	requests []Request
	n        int
}

// Request is an accepted generateContent call.
type Request struct {
	Model string
	Body  GenerateRequest
}

// GenerateRequest is the body the real API accepts, limited to what the
// simulator checks; anything else is refused as an unknown field, as the
// real API does.
type GenerateRequest struct {
	Contents          []Content         `json:"contents"`
	SystemInstruction *Content          `json:"systemInstruction,omitempty"`
	GenerationConfig  *GenerationConfig `json:"generationConfig,omitempty"`
	SafetySettings    []struct {
		Category  string `json:"category"`
		Threshold string `json:"threshold"`
	} `json:"safetySettings,omitempty"`
}

// Content is a turn.
type Content struct {
	Role  string `json:"role,omitempty"`
	Parts []Part `json:"parts"`
}

// Part is a text part (the only kind the simulator takes).
type Part struct {
	Text *string `json:"text"`
}

// GenerationConfig is the subset of generation settings accepted.
type GenerationConfig struct {
	Temperature     *float64 `json:"temperature,omitempty"`
	TopP            *float64 `json:"topP,omitempty"`
	TopK            *int     `json:"topK,omitempty"`
	MaxOutputTokens *int     `json:"maxOutputTokens,omitempty"`
	CandidateCount  *int     `json:"candidateCount,omitempty"`
	StopSequences   []string `json:"stopSequences,omitempty"`
}

// New returns a simulator that accepts key and knows the given models
// (gemini-2.5-flash when none).
func New(key string, models ...string) *Sim {
	if len(models) == 0 {
		models = []string{"gemini-2.5-flash"}
	}
	s := &Sim{key: key, models: map[string]bool{}, retry: "30s", delay: 30 * time.Second}
	for _, m := range models {
		s.models[m] = true
	}
	return s
}

// FailNext makes the next calls answer in mode, one call per entry.
func (s *Sim) FailNext(modes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.modes = append(s.modes, modes...)
}

// SetRetryDelay sets the RetryInfo retryDelay of 429s ("30s" by default).
func (s *Sim) SetRetryDelay(d string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retry = d
}

// SetDelay sets how long ModeSlow waits (30 s by default).
func (s *Sim) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// Requests returns the accepted calls in order.
func (s *Sim) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Handler serves POST /v1beta/models/{model}:generateContent.
func (s *Sim) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1beta/models/{call}", s.generate)
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// googleError writes Google's error body.
func googleError(w http.ResponseWriter, code int, status, msg string, details ...any) {
	e := map[string]any{"code": code, "message": msg, "status": status}
	if len(details) > 0 {
		e["details"] = details
	}
	writeJSON(w, code, map[string]any{"error": e})
}

var unknownField = regexp.MustCompile(`unknown field "([^"]+)"`)

func (s *Sim) generate(w http.ResponseWriter, r *http.Request) {
	model, ok := strings.CutSuffix(r.PathValue("call"), ":generateContent")
	if !ok {
		googleError(w, http.StatusNotFound, "NOT_FOUND", "Method not found.")
		return
	}
	key := r.Header.Get("x-goog-api-key")
	if key == "" {
		key = r.URL.Query().Get("key")
	}
	if key == "" {
		googleError(w, http.StatusForbidden, "PERMISSION_DENIED",
			"Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.")
		return
	}
	if key != s.key {
		googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
			map[string]any{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
				"domain": "googleapis.com", "metadata": map[string]string{"service": "generativelanguage.googleapis.com"}})
		return
	}
	s.mu.Lock()
	known := s.models[model]
	mode := ""
	if len(s.modes) > 0 {
		mode, s.modes = s.modes[0], s.modes[1:]
	}
	retry, delay := s.retry, s.delay
	s.mu.Unlock()
	if !known {
		googleError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf(
			"models/%s is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.", model))
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Invalid JSON payload received. Unexpected token.")
		return
	}
	var body GenerateRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 20<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		msg := "Invalid JSON payload received."
		if m := unknownField.FindStringSubmatch(err.Error()); m != nil {
			msg = fmt.Sprintf("Invalid JSON payload received. Unknown name %q: Cannot find field.", m[1])
		}
		googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT", msg)
		return
	}
	if msg := validate(&body); msg != "" {
		googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT", msg)
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Model: model, Body: body})
	s.n++
	id := fmt.Sprintf("sim-%06d", s.n)
	s.mu.Unlock()

	promptTokens := tokens(&body)
	switch mode {
	case ModeRateLimit:
		googleError(w, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED",
			"You exceeded your current quota, please check your plan and billing details.",
			map[string]any{"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": []map[string]any{{
				"quotaMetric":     "generativelanguage.googleapis.com/generate_content_free_tier_requests",
				"quotaId":         "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
				"quotaDimensions": map[string]string{"location": "global", "model": model}, "quotaValue": "10"}}},
			map[string]any{"@type": "type.googleapis.com/google.rpc.Help", "links": []map[string]string{{
				"description": "Learn more about Gemini API quotas", "url": "https://ai.google.dev/gemini-api/docs/rate-limits"}}},
			map[string]any{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": retry})
		return
	case ModeInternal:
		googleError(w, http.StatusInternalServerError, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting")
		return
	case ModeUnavailable:
		googleError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "The model is overloaded. Please try again later.")
		return
	case ModeSlow:
		select {
		case <-r.Context().Done():
			return
		case <-time.After(delay):
		}
	case ModeBlockPrompt:
		writeJSON(w, http.StatusOK, map[string]any{
			"promptFeedback": map[string]any{"blockReason": "SAFETY", "safetyRatings": ratings("HIGH")},
			"usageMetadata":  map[string]any{"promptTokenCount": promptTokens, "totalTokenCount": promptTokens},
			"modelVersion":   model, "responseId": id})
		return
	case ModeSafety:
		writeJSON(w, http.StatusOK, map[string]any{
			"candidates":    []map[string]any{{"finishReason": "SAFETY", "index": 0, "safetyRatings": ratings("MEDIUM")}},
			"usageMetadata": map[string]any{"promptTokenCount": promptTokens, "totalTokenCount": promptTokens},
			"modelVersion":  model, "responseId": id})
		return
	}
	text := draft(&body)
	out := len(strings.Fields(text)) * 4 / 3
	writeJSON(w, http.StatusOK, map[string]any{
		"candidates": []map[string]any{{
			"content":      map[string]any{"parts": []map[string]string{{"text": text}}, "role": "model"},
			"finishReason": "STOP", "index": 0}},
		"usageMetadata": map[string]any{"promptTokenCount": promptTokens, "candidatesTokenCount": out,
			"totalTokenCount":     promptTokens + out,
			"promptTokensDetails": []map[string]any{{"modality": "TEXT", "tokenCount": promptTokens}}},
		"modelVersion": model, "responseId": id})
}

func ratings(hate string) []map[string]string {
	return []map[string]string{
		{"category": "HARM_CATEGORY_HATE_SPEECH", "probability": hate},
		{"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "NEGLIGIBLE"},
		{"category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"},
		{"category": "HARM_CATEGORY_SEXUALLY_EXPLICIT", "probability": "NEGLIGIBLE"},
	}
}

// validate reports what the real API refuses in a well-formed body.
func validate(b *GenerateRequest) string {
	if len(b.Contents) == 0 {
		return "* GenerateContentRequest.contents: contents is not specified\n"
	}
	check := func(path string, c *Content) string {
		if c.Role != "" && c.Role != "user" && c.Role != "model" {
			return "Please use a valid role: user, model."
		}
		if len(c.Parts) == 0 {
			return fmt.Sprintf("* GenerateContentRequest.%s.parts: contents.parts must not be empty.\n", path)
		}
		for i, p := range c.Parts {
			if p.Text == nil {
				return fmt.Sprintf("* GenerateContentRequest.%s.parts[%d].data: required oneof field 'data' must have one initialized field\n", path, i)
			}
		}
		return ""
	}
	for i := range b.Contents {
		if msg := check(fmt.Sprintf("contents[%d]", i), &b.Contents[i]); msg != "" {
			return msg
		}
	}
	if b.SystemInstruction != nil {
		if msg := check("system_instruction", b.SystemInstruction); msg != "" {
			return msg
		}
	}
	if g := b.GenerationConfig; g != nil {
		if g.Temperature != nil && (*g.Temperature < 0 || *g.Temperature > 2) {
			return "* GenerateContentRequest.generation_config.temperature: must be in [0, 2]\n"
		}
		if g.MaxOutputTokens != nil && *g.MaxOutputTokens < 1 {
			return "* GenerateContentRequest.generation_config.max_output_tokens: must be positive\n"
		}
		if g.CandidateCount != nil && (*g.CandidateCount < 1 || *g.CandidateCount > 8) {
			return "* GenerateContentRequest.generation_config.candidate_count: must be in [1, 8]\n"
		}
	}
	return ""
}

// tokens estimates the prompt's tokens (about 4 per 3 words).
func tokens(b *GenerateRequest) int {
	n := 0
	add := func(c *Content) {
		for _, p := range c.Parts {
			n += len(strings.Fields(*p.Text))
		}
	}
	for i := range b.Contents {
		add(&b.Contents[i])
	}
	if b.SystemInstruction != nil {
		add(b.SystemInstruction)
	}
	return n*4/3 + 1
}

var subjectLine = regexp.MustCompile(`(?m)^Subject: (.+)$`)

// draft writes a plausible reply from the last user turn: it names the
// ticket's subject when the prompt has a "Subject:" line.
func draft(b *GenerateRequest) string {
	last := b.Contents[len(b.Contents)-1]
	var prompt bytes.Buffer
	for _, p := range last.Parts {
		prompt.WriteString(*p.Text)
	}
	subject := "your request"
	if m := subjectLine.FindStringSubmatch(prompt.String()); m != nil {
		subject = "“" + strings.TrimSpace(m[1]) + "”"
	}
	return "Hello,\n\nThank you for contacting us about " + subject + ". We have looked at your account and " +
		"are checking this for you now; we will update this ticket as soon as we know more.\n\nBest regards"
}
