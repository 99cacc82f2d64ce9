package paypalsim

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"maps"
	"slices"
	"time"
)

// stateVersion is the state-file format; bump it on incompatible changes.
const stateVersion = 1

// stateFile is the JSON in Options.StateFile. Delivery attempts and
// pending deliveries are not kept.
type stateFile struct {
	Version int       `json:"version"`
	SavedAt time.Time `json:"savedAt"`
	// CertPEM and KeyPEM are the webhook signing certificate and its key;
	// CertName is the last element of the certificate URL.
	CertPEM  string `json:"certPem"`
	KeyPEM   string `json:"keyPem"`
	CertName string `json:"certName"`
	// ChainPEM is the issuing CA and root of CertPEM (absent in files
	// written before the simulator had a CA).
	ChainPEM string `json:"chainPem,omitempty"`

	Tokens     map[string]time.Time   `json:"tokens"` // access token → expiry
	Orders     []*order               `json:"orders"`
	Captures   []*capture             `json:"captures"`
	Refunds    []*refund              `json:"refunds"`
	Invoices   []string               `json:"invoices"`    // invoice ids already used
	Idempotent map[string]stateReplay `json:"idempotency"` // op|PayPal-Request-Id → first answer
	Events     []stateEvent           `json:"events"`      // oldest first, for ResendEvent
	HoldReason string                 `json:"holdReason,omitempty"`
	// Vault v3 tokens (auto top-up).
	SetupTokens   []*setupToken   `json:"setupTokens,omitempty"`
	PaymentTokens []*paymentToken `json:"paymentTokens,omitempty"`
}

// Bodies are strings, not raw JSON, so they come back byte for byte (a
// resent event must be identical to the first delivery).
type stateReplay struct {
	Status int    `json:"status"`
	Body   string `json:"body"`
}

type stateEvent struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	ResourceID string `json:"resourceId,omitempty"`
	Body       string `json:"body"`
}

func (s *Server) snapshotState() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	der, err := x509.MarshalPKCS8PrivateKey(s.key)
	if err != nil {
		return nil, fmt.Errorf("paypalsim: encode key: %w", err)
	}
	st := stateFile{
		Version: stateVersion, SavedAt: s.now().UTC(),
		CertPEM: string(s.certPEM), CertName: s.certName, ChainPEM: string(s.chainPEM),
		KeyPEM: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		Tokens: s.tokens, Invoices: slices.Sorted(maps.Keys(s.invoices)),
		Idempotent: map[string]stateReplay{}, HoldReason: s.holdReason,
	}
	for _, id := range slices.Sorted(maps.Keys(s.orders)) {
		st.Orders = append(st.Orders, s.orders[id])
	}
	for _, id := range slices.Sorted(maps.Keys(s.captures)) {
		st.Captures = append(st.Captures, s.captures[id])
	}
	for _, id := range slices.Sorted(maps.Keys(s.refunds)) {
		st.Refunds = append(st.Refunds, s.refunds[id])
	}
	for _, id := range slices.Sorted(maps.Keys(s.setupTokens)) {
		st.SetupTokens = append(st.SetupTokens, s.setupTokens[id])
	}
	for _, id := range slices.Sorted(maps.Keys(s.paymentTokens)) {
		st.PaymentTokens = append(st.PaymentTokens, s.paymentTokens[id])
	}
	for k, r := range s.idem {
		st.Idempotent[k] = stateReplay{Status: r.status, Body: string(r.body)}
	}
	for _, id := range s.eventOrder {
		ev := s.events[id]
		st.Events = append(st.Events, stateEvent{ID: ev.ID, Type: ev.Type, ResourceID: ev.ResourceID, Body: string(ev.Body)})
	}
	return json.MarshalIndent(st, "", "  ")
}

func (s *Server) loadState(b []byte) error {
	var st stateFile
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("unreadable: %w", err)
	}
	if st.Version != stateVersion {
		return fmt.Errorf("incompatible version %d (this simulator reads version %d)", st.Version, stateVersion)
	}
	kb, _ := pem.Decode([]byte(st.KeyPEM))
	if kb == nil {
		return fmt.Errorf("keyPem holds no PEM block")
	}
	priv, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	key, ok := priv.(*rsa.PrivateKey)
	if err != nil || !ok {
		return fmt.Errorf("keyPem is not an RSA PKCS #8 key (%v)", err)
	}
	cb, _ := pem.Decode([]byte(st.CertPEM))
	if cb == nil || st.CertName == "" {
		return fmt.Errorf("certPem or certName missing")
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return fmt.Errorf("certPem: %w", err)
	}
	if pub, ok := cert.PublicKey.(*rsa.PublicKey); !ok || !pub.Equal(&key.PublicKey) {
		return fmt.Errorf("certPem does not belong to keyPem")
	}
	s.key, s.certPEM, s.certName, s.chainPEM = key, []byte(st.CertPEM), st.CertName, []byte(st.ChainPEM)
	maps.Copy(s.tokens, st.Tokens)
	for _, o := range st.Orders {
		s.orders[o.ID] = o
	}
	for _, c := range st.Captures {
		s.captures[c.ID] = c
	}
	for _, r := range st.Refunds {
		s.refunds[r.ID] = r
	}
	for _, id := range st.Invoices {
		s.invoices[id] = true
	}
	for k, r := range st.Idempotent {
		s.idem[k] = replay{status: r.Status, body: []byte(r.Body)}
	}
	for _, ev := range st.Events {
		s.events[ev.ID] = &event{ID: ev.ID, Type: ev.Type, ResourceID: ev.ResourceID, Body: []byte(ev.Body)}
		s.eventOrder = append(s.eventOrder, ev.ID)
	}
	s.holdReason = st.HoldReason
	for _, t := range st.SetupTokens {
		s.setupTokens[t.ID] = t
	}
	for _, t := range st.PaymentTokens {
		s.paymentTokens[t.ID] = t
	}
	return nil
}
