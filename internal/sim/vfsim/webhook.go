package vfsim

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// webhookAttempts is how many times a delivery is tried before giving up.
const webhookAttempts = 4

// emitLocked queues a webhook for an event on sv. The payload is built now
// (under the lock, so it shows the state at the event) and sent async.
func (s *Sim) emitLocked(event string, sv *server) {
	if s.hookURL == "" {
		return
	}
	now := s.now()
	deliveryID := newUUID()
	var u any
	if owner := s.users[sv.OwnerID]; owner != nil {
		u = renderUser(owner)
	}
	domain := "localhost"
	if pu, err := url.Parse(s.opts.PublicHost); err == nil && pu.Host != "" {
		domain = pu.Hostname()
	}
	body, err := json.Marshal(M{
		"event": event, "created": now.Format("2006-01-02T15:04:05Z"), "hookId": 1, "hookEventId": deliveryID,
		"eventStatus": "success", "controlDomain": domain, "controlName": "VirtFusion Simulator",
		"controlSupportLink": nil, "errors": []string{},
		"data": M{"server": s.renderServer(sv, serverRender{}), "user": u},
	})
	if err != nil {
		s.log.Error("webhook: encode", "event", event, "err", err)
		return
	}
	hdr := http.Header{}
	hdr.Set("Content-Type", "application/json")
	hdr.Set("Accept", "application/json")
	hdr.Set("User-Agent", "VirtFusion-Hookshot/1.0")
	hdr.Set("X-VirtFusion-Hook", "1")
	hdr.Set("X-VirtFusion-Created", now.Format("2006-01-02T15:04:05Z"))
	hdr.Set("X-VirtFusion-Hook-Event", deliveryID)
	hdr.Set("X-VirtFusion-Event", event)
	hdr.Set("X-VirtFusion-Event-Status", "success")
	if s.hookToken != "" {
		hdr.Set("Authorization", "Bearer "+base64.StdEncoding.EncodeToString([]byte(s.hookToken)))
	}
	target := s.hookURL
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.deliver(target, hdr, body, event)
	}()
}

// deliver POSTs one webhook, retrying non-2xx with doubling backoff. It
// never blocks the API; failures are only logged.
func (s *Sim) deliver(target string, hdr http.Header, body []byte, event string) {
	client := &http.Client{Timeout: 10 * time.Second}
	wait := s.opts.WebhookRetryDelay
	for attempt := 1; attempt <= webhookAttempts; attempt++ {
		req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, target, bytes.NewReader(body))
		if err != nil {
			s.log.Error("webhook: request", "event", event, "err", err)
			return
		}
		req.Header = hdr.Clone()
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode/100 == 2 {
				return
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		s.log.Warn("webhook: delivery failed", "event", event, "attempt", attempt, "err", err)
		if attempt == webhookAttempts {
			return
		}
		select {
		case <-time.After(wait):
			wait *= 2
		case <-s.ctx.Done():
			return
		}
	}
}
