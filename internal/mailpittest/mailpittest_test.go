package mailpittest

import (
	"net/smtp"
	"strconv"
	"strings"
	"testing"

	"github.com/vfpanel/vfpanel/internal/mailpit"
)

func TestSharedReceivesMail(t *testing.T) {
	s := Shared(t)
	addr := "probe-" + strings.ReplaceAll(t.Name(), "/", "-") + "@example.test"
	msg := "From: a@example.test\r\nTo: " + addr + "\r\nSubject: probe\r\n\r\nhello\r\n"
	if err := smtp.SendMail(s.SMTPHost+":"+strconv.Itoa(s.SMTPPort), nil, "a@example.test", []string{addr}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	got := s.To(t, addr)
	if len(got) != 1 || got[0].Subject != "probe" {
		t.Fatalf("got %+v, want one message with subject probe", got)
	}
	if m := s.Message(t, got[0].ID); !strings.Contains(m.Text, "hello") {
		t.Errorf("got text %q", m.Text)
	}
}

func TestFailSMTP(t *testing.T) {
	s := Shared(t)
	s.FailSMTP(t, 451)
	defer s.FailSMTP(t, 0)
	err := smtp.SendMail(s.SMTPHost+":"+strconv.Itoa(s.SMTPPort), nil, "a@example.test", []string{"x@example.test"}, []byte("Subject: x\r\n\r\nx\r\n"))
	if err == nil || !strings.Contains(err.Error(), "451") {
		t.Fatalf("got %v, want a 451", err)
	}
}

func TestFromEnv(t *testing.T) {
	tests := []struct {
		name, smtp, api string
		want            *Server
	}{
		{"OK", "127.0.0.1:1025", "http://127.0.0.1:8025/", &Server{&mailpit.Server{SMTPHost: "127.0.0.1", SMTPPort: 1025, APIURL: "http://127.0.0.1:8025"}}},
		{"ErrNoAPI", "127.0.0.1:1025", "", nil},
		{"ErrNoPort", "127.0.0.1", "http://127.0.0.1:8025", nil},
		{"ErrBadPort", "127.0.0.1:smtp", "http://127.0.0.1:8025", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := fromEnv(tt.smtp, tt.api)
			if tt.want == nil {
				if err == nil {
					t.Fatalf("got %+v, want an error", got)
				}
				return
			}
			if err != nil || *got.Server != *tt.want.Server {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}
