package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/smtp"
	"strconv"
	"strings"
	"testing"

	"github.com/vfpanel/vfpanel/internal/mailpittest"
)

// TestMailView: the local mail viewer lists what Mailpit received and shows
// a message, its HTML escaped into a sandboxed frame.
func TestMailView(t *testing.T) {
	mp := mailpittest.Shared(t)
	to := "viewer-" + strconv.Itoa(int(t.Name()[0])) + "@example.test"
	msg := "From: panel@example.test\r\nTo: " + to + "\r\nSubject: Viewer probe\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p onclick=\"x()\">Hello <b>there</b></p>\r\n"
	if err := smtp.SendMail(mp.SMTPHost+":"+strconv.Itoa(mp.SMTPPort), nil, "panel@example.test", []string{to}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	mp.To(t, to) // wait until Mailpit has it
	srv := httptest.NewServer(mailView(mp.APIURL))
	defer srv.Close()
	get := func(path string) string {
		t.Helper()
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: got %d %s", path, res.StatusCode, b)
		}
		return string(b)
	}
	list := get(mailViewPath)
	i := strings.Index(list, "Viewer probe")
	if i < 0 {
		t.Fatalf("list lacks the message: %s", list)
	}
	start := strings.LastIndex(list[:i], `href="`) + len(`href="`)
	id := list[start : start+strings.IndexByte(list[start:], '"')]
	page := get(mailViewPath + id)
	if !strings.Contains(page, "<h1>Viewer probe</h1>") || !strings.Contains(page, `<iframe sandbox srcdoc="`) {
		t.Fatalf("message page: %s", page)
	}
	if strings.Contains(page, `<p onclick="x()">`) {
		t.Fatalf("the mail's HTML reached the page unescaped: %s", page)
	}
}
