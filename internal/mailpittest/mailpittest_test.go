package mailpittest

import (
	"net/smtp"
	"strconv"
	"strings"
	"testing"
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
