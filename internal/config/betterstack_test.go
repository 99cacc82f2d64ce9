package config

import (
	"strings"
	"testing"
)

func TestBetterStackSettings(t *testing.T) {
	secrets := func(name string) (map[string]string, error) {
		if name == "betterstack" {
			return map[string]string{"billingHeartbeatUrl": "https://uptime.betterstack.com/api/v1/heartbeat/b",
				"notifyHeartbeatUrl": "https://uptime.betterstack.com/api/v1/heartbeat/n", "healthKey": "hk"}, nil
		}
		return nil, nil
	}
	t.Run("OKFromSecret", func(t *testing.T) {
		c, err := Load(func(string) string { return "" }, secrets)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(c.BillingHeartbeatURL, "/b") || !strings.HasSuffix(c.NotifyHeartbeatURL, "/n") || c.HealthKey != "hk" {
			t.Errorf("got %q %q %q", c.BillingHeartbeatURL, c.NotifyHeartbeatURL, c.HealthKey)
		}
	})
	tests := []struct{ name, env string }{
		{"ErrBillingHeartbeatURL", "BILLING_HEARTBEAT_URL"},
		{"ErrNotifyHeartbeatURL", "NOTIFY_HEARTBEAT_URL"},
		{"ErrStatusPageURL", "STATUS_PAGE_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{tt.env: "not a url"}
			_, err := Load(func(k string) string { return env[k] }, nil)
			if err == nil || !strings.Contains(err.Error(), tt.env) {
				t.Errorf("got %v, want an error naming %s", err, tt.env)
			}
		})
	}
}
