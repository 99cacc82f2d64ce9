package smtpmail_test

import (
	"context"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/mailpittest"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/smtpmail"
)

func TestNew(t *testing.T) {
	ok := smtpmail.Settings{Host: "smtp.example.com", Port: 587, TLS: "starttls", From: "Acme <billing@acme.example>"}
	tests := []struct {
		name    string
		edit    func(*smtpmail.Settings)
		wantErr bool
	}{
		{"OK", func(*smtpmail.Settings) {}, false},
		{"ErrFrom", func(s *smtpmail.Settings) { s.From = "nobody" }, true},
		{"ErrTLS", func(s *smtpmail.Settings) { s.TLS = "ssl" }, true},
		{"ErrHost", func(s *smtpmail.Settings) { s.Host = "" }, true},
		{"ErrPort", func(s *smtpmail.Settings) { s.Port = 0 }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.edit(&s)
			if _, err := smtpmail.New(s); (err != nil) != tt.wantErr {
				t.Errorf("got %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

func TestSendMail(t *testing.T) {
	mp := mailpittest.Shared(t)
	mailer := func(t *testing.T, port int, tls string) *smtpmail.Mailer {
		m, err := smtpmail.New(smtpmail.Settings{Host: mp.SMTPHost, Port: port, TLS: tls,
			From: "Acme <billing@acme.example>", Timeout: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	mail := func(to string) *panel.Email {
		return &panel.Email{To: to, ToName: "Ann", Subject: "Hi", Text: "plain", HTML: "<p>rich</p>",
			MessageID: "x1@acme.example", Headers: map[string]string{"X-Test": "1"}}
	}
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		to := "smtpmail-ok@example.test"
		if err := mailer(t, mp.SMTPPort, "none").SendMail(ctx, mail(to)); err != nil {
			t.Fatal(err)
		}
		got := mp.To(t, to)
		if len(got) != 1 {
			t.Fatalf("got %d mails", len(got))
		}
		m := mp.Message(t, got[0].ID)
		if m.Text != "plain" || m.HTML != "<p>rich</p>" || m.MessageID != "x1@acme.example" || m.From.Name != "Acme" {
			t.Errorf("got %+v", m)
		}
		if h := mp.Headers(t, got[0].ID); len(h["X-Test"]) != 1 {
			t.Errorf("extra header missing: %v", h)
		}
	})
	t.Run("ErrStartTLSRequired", func(t *testing.T) {
		// Mailpit here offers no STARTTLS; starttls mode must not fall back to clear text.
		to := "smtpmail-tls@example.test"
		err := mailer(t, mp.SMTPPort, "starttls").SendMail(ctx, mail(to))
		if panel.ErrorCode(err) != panel.EUPSTREAM {
			t.Fatalf("got %v, want upstream", err)
		}
		if got := mp.To(t, to); len(got) != 0 {
			t.Fatalf("sent in clear text")
		}
	})
	t.Run("ErrTemporaryIsUpstream", func(t *testing.T) {
		mp.FailSMTP(t, 451)
		defer mp.FailSMTP(t, 0)
		if err := mailer(t, mp.SMTPPort, "none").SendMail(ctx, mail("smtpmail-451@example.test")); panel.ErrorCode(err) != panel.EUPSTREAM {
			t.Fatalf("got %v, want upstream", err)
		}
	})
	t.Run("ErrPermanentIsInvalid", func(t *testing.T) {
		mp.FailSMTP(t, 550)
		defer mp.FailSMTP(t, 0)
		if err := mailer(t, mp.SMTPPort, "none").SendMail(ctx, mail("smtpmail-550@example.test")); panel.ErrorCode(err) != panel.EINVALID {
			t.Fatalf("got %v, want invalid", err)
		}
	})
	t.Run("ErrServerDown", func(t *testing.T) {
		port, _ := mailpittest.FreePort()
		if err := mailer(t, port, "none").SendMail(ctx, mail("smtpmail-down@example.test")); panel.ErrorCode(err) != panel.EUPSTREAM {
			t.Fatalf("got %v, want upstream", err)
		}
	})
}
