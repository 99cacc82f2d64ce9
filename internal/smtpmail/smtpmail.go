// Package smtpmail sends vfpanel's email through any SMTP server (Amazon
// SES SMTP, Postmark, Mailgun, the company's own; Mailpit locally) with
// github.com/wneessen/go-mail.
package smtpmail

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Settings say how to reach the SMTP server.
type Settings struct {
	Host     string
	Port     int
	TLS      string // "none", "starttls" (required, not opportunistic) or "tls" (implicit, as on port 465)
	User     string // empty: no authentication
	Password string
	From     string // "Name <addr>" or a plain address
	Timeout  time.Duration
}

// Mailer sends each message over a fresh connection: a Lambda sends a
// handful per invocation, and a kept connection would outlive the freeze.
type Mailer struct {
	s    Settings
	from *mail.Address
}

var _ panel.Mailer = (*Mailer)(nil)

// New checks s and returns a Mailer.
func New(s Settings) (*Mailer, error) {
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return nil, fmt.Errorf("smtpmail: from address %q: %w", s.From, err)
	}
	if s.Host == "" || s.Port <= 0 {
		return nil, errors.New("smtpmail: host and port are required")
	}
	switch s.TLS {
	case "none", "starttls", "tls":
	default:
		return nil, fmt.Errorf("smtpmail: TLS mode %q: want none, starttls or tls", s.TLS)
	}
	if s.Timeout == 0 {
		s.Timeout = 15 * time.Second
	}
	return &Mailer{s: s, from: from}, nil
}

func (m *Mailer) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(m.s.Port), gomail.WithTimeout(m.s.Timeout)}
	switch m.s.TLS {
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case "tls":
		opts = append(opts, gomail.WithSSL())
	}
	if m.s.User != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(m.s.User), gomail.WithPassword(m.s.Password))
	}
	return gomail.NewClient(m.s.Host, opts...)
}

// SendMail implements panel.Mailer: text and HTML as multipart/alternative.
func (m *Mailer) SendMail(ctx context.Context, e *panel.Email) error {
	msg := gomail.NewMsg()
	if err := msg.FromFormat(m.from.Name, m.from.Address); err != nil {
		return fmt.Errorf("smtpmail: from: %w", err)
	}
	if err := msg.AddToFormat(e.ToName, e.To); err != nil {
		return &panel.Error{Code: panel.EINVALID, Message: "The recipient address is not valid.", Err: err}
	}
	msg.Subject(e.Subject)
	msg.SetDate()
	if e.MessageID != "" {
		msg.SetMessageIDWithValue(e.MessageID)
	}
	for k, v := range e.Headers {
		msg.SetGenHeader(gomail.Header(k), v)
	}
	msg.SetBodyString(gomail.TypeTextPlain, e.Text)
	if e.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	}
	c, err := m.client()
	if err != nil {
		return fmt.Errorf("smtpmail: client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return classify(err)
	}
	return nil
}

// classify turns a permanent SMTP rejection (5xx) into EINVALID, so the
// sender stops retrying; connection problems and 4xx stay retryable.
func classify(err error) error {
	var se *gomail.SendError
	if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
		return &panel.Error{Code: panel.EINVALID, Message: "The mail server refused the message.",
			Err: fmt.Errorf("smtpmail: send: %w", err)}
	}
	return &panel.Error{Code: panel.EUPSTREAM, Message: "The mail server is not answering.",
		Err: fmt.Errorf("smtpmail: send: %w", err)}
}

// Ping connects to the server and greets it (EHLO, then STARTTLS and login
// as configured), sending nothing: the health check of mail delivery.
func (m *Mailer) Ping(ctx context.Context) error {
	c, err := m.client()
	if err != nil {
		return fmt.Errorf("smtpmail: client: %w", err)
	}
	if err := c.DialWithContext(ctx); err != nil {
		return fmt.Errorf("smtpmail: connect %s:%d: %w", m.s.Host, m.s.Port, err)
	}
	return c.Close()
}
