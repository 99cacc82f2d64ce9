package config

import (
	"strings"
	"testing"
)

func TestLoadMail(t *testing.T) {
	secrets := func(name string) (map[string]string, error) {
		switch name {
		case "smtp":
			return map[string]string{"host": "smtp.example.com", "port": "2525", "tls": "TLS", "user": "u",
				"password": "p", "from": "Example <billing@example.com>"}, nil
		case "discord":
			return map[string]string{"webhookUrl": "https://discord.com/api/webhooks/1/x"}, nil
		}
		return nil, nil
	}
	tests := []struct {
		name    string
		env     map[string]string
		secrets SecretSource
		check   func(Config) bool
		wantErr string
	}{
		{"DefaultsStartTLS587", map[string]string{"SMTP_HOST": "h"}, nil,
			func(c Config) bool {
				return c.SMTPTLS == "starttls" && c.SMTPPort == 587 && c.CompanyColor == "#2563eb"
			}, ""},
		{"NonePort25", map[string]string{"SMTP_TLS": "none"}, nil,
			func(c Config) bool { return c.SMTPPort == 25 }, ""},
		{"FromSecrets", nil, secrets, func(c Config) bool {
			return c.SMTPHost == "smtp.example.com" && c.SMTPPort == 2525 && c.SMTPTLS == "tls" && c.SMTPUser == "u" &&
				c.SMTPPassword == "p" && c.MailFrom == "Example <billing@example.com>" &&
				c.DiscordWebhookURL == "https://discord.com/api/webhooks/1/x"
		}, ""},
		{"EnvWinsOverSecret", map[string]string{"SMTP_HOST": "127.0.0.1", "SMTP_PORT": "1025", "SMTP_TLS": "none"}, secrets,
			func(c Config) bool { return c.SMTPHost == "127.0.0.1" && c.SMTPPort == 1025 && c.SMTPTLS == "none" }, ""},
		{"ErrBadTLS", map[string]string{"SMTP_TLS": "ssl"}, nil, nil, "SMTP_TLS"},
		{"ErrBadPort", map[string]string{"SMTP_PORT": "70000"}, nil, nil, "SMTP_PORT"},
		{"ErrBadFrom", map[string]string{"MAIL_FROM": "not an address"}, nil, nil, "MAIL_FROM"},
		{"ErrBadColor", map[string]string{"COMPANY_COLOR": "blue"}, nil, nil, "COMPANY_COLOR"},
		{"ErrBadDiscordURL", map[string]string{"DISCORD_WEBHOOK_URL": "discord"}, nil, nil, "DISCORD_WEBHOOK_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(tt.env), tt.secrets)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want an error naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(c) {
				t.Errorf("got %+v", c)
			}
		})
	}
}

func TestNeedMail(t *testing.T) {
	c, _ := Load(env(map[string]string{"SMTP_USER": "u"}), nil)
	err := c.Need(NeedMail)
	for _, name := range []string{"SMTP_HOST", "MAIL_FROM", "SMTP_PASSWORD"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}
