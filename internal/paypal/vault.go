package paypal

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Vault v3 (Payment Method Tokens): the payer approves a setup token once;
// the payment token made from it pays merchant-initiated orders.

// SetupToken is a setup token waiting for (or past) the payer's approval.
type SetupToken struct {
	ID         string
	Status     string // PAYER_ACTION_REQUIRED, APPROVED, …
	ApproveURL string
}

// PaymentToken is a vaulted PayPal wallet.
type PaymentToken struct {
	ID         string
	CustomerID string
	Email      string
}

type wireSetupToken struct {
	ID     string     `json:"id"`
	Status string     `json:"status"`
	Links  []wireLink `json:"links"`
}

type wirePaymentToken struct {
	ID       string `json:"id"`
	Customer struct {
		ID string `json:"id"`
	} `json:"customer"`
	PaymentSource struct {
		PayPal struct {
			Email string `json:"email_address"`
		} `json:"paypal"`
	} `json:"payment_source"`
}

// CreateSetupToken asks PayPal for a setup token that lets the merchant
// charge the payer's wallet later (usage_type MERCHANT, a balance-threshold
// top-up: THRESHOLD_PREPAID). The payer approves at ApproveURL and comes
// back to returnURL.
func (c *Client) CreateSetupToken(ctx context.Context, description, returnURL, cancelURL, requestID string) (*SetupToken, error) {
	if err := checkRequestID(requestID); err != nil {
		return nil, err
	}
	body := map[string]any{"payment_source": map[string]any{"paypal": map[string]any{
		"description": description, "usage_type": "MERCHANT", "usage_pattern": "THRESHOLD_PREPAID",
		"customer_type": "CONSUMER", "permit_multiple_payment_tokens": false,
		"experience_context": map[string]any{"return_url": returnURL, "cancel_url": cancelURL,
			"shipping_preference": "NO_SHIPPING"},
	}}}
	var out wireSetupToken
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v3/vault/setup-tokens",
		header: http.Header{"Paypal-Request-Id": {requestID}}, idempotent: true}, body, &out)
	if err != nil {
		return nil, fmt.Errorf("paypal: create setup token: %w", err)
	}
	t := &SetupToken{ID: out.ID, Status: out.Status}
	for _, l := range out.Links {
		if l.Rel == "approve" {
			t.ApproveURL = l.Href
		}
	}
	if t.ID == "" || t.ApproveURL == "" {
		return nil, upstream("PayPal answered a setup token without an id or approval link.", nil)
	}
	return t, nil
}

// CreatePaymentToken vaults the wallet of an approved setup token.
func (c *Client) CreatePaymentToken(ctx context.Context, setupTokenID, requestID string) (*PaymentToken, error) {
	if err := checkID("setup token", setupTokenID); err != nil {
		return nil, err
	}
	if err := checkRequestID(requestID); err != nil {
		return nil, err
	}
	body := map[string]any{"payment_source": map[string]any{"token": map[string]string{"id": setupTokenID, "type": "SETUP_TOKEN"}}}
	var out wirePaymentToken
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v3/vault/payment-tokens",
		header: http.Header{"Paypal-Request-Id": {requestID}}, idempotent: true}, body, &out)
	if err != nil {
		return nil, fmt.Errorf("paypal: create payment token: %w", notFoundAs(err, "setup token"))
	}
	if out.ID == "" {
		return nil, upstream("PayPal answered a payment token without an id.", nil)
	}
	return &PaymentToken{ID: out.ID, CustomerID: out.Customer.ID, Email: out.PaymentSource.PayPal.Email}, nil
}

// GetPaymentToken reads a vaulted wallet. ENOTFOUND when PayPal has none.
func (c *Client) GetPaymentToken(ctx context.Context, id string) (*PaymentToken, error) {
	if err := checkID("payment token", id); err != nil {
		return nil, err
	}
	var out wirePaymentToken
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v3/vault/payment-tokens/" + url.PathEscape(id), idempotent: true}, nil, &out)
	if err != nil {
		return nil, fmt.Errorf("paypal: get payment token: %w", notFoundAs(err, "payment token"))
	}
	return &PaymentToken{ID: out.ID, CustomerID: out.Customer.ID, Email: out.PaymentSource.PayPal.Email}, nil
}

// DeletePaymentToken removes a vaulted wallet; one already gone is not an error.
func (c *Client) DeletePaymentToken(ctx context.Context, id string) error {
	if err := checkID("payment token", id); err != nil {
		return err
	}
	_, err := c.do(ctx, call{method: http.MethodDelete, path: "/v3/vault/payment-tokens/" + url.PathEscape(id), idempotent: true}, nil, nil)
	if panel.ErrorCode(notFoundAs(err, "payment token")) == panel.ENOTFOUND {
		return nil
	}
	if err != nil {
		return fmt.Errorf("paypal: delete payment token: %w", err)
	}
	return nil
}

// CreateVaultOrder charges a vaulted wallet without the payer: a CAPTURE
// order with payment_source.paypal.vault_id and a merchant-initiated stored
// credential, which PayPal completes (captures) at once.
func (c *Client) CreateVaultOrder(ctx context.Context, amountMinor int64, currency, customID, vaultID, requestID string) (*Order, error) {
	if amountMinor <= 0 || len(currency) != 3 || customID == "" || len(customID) > maxCustomIDLen {
		return nil, panel.Invalid(map[string]string{"amountMinor": "must be positive, with a currency and custom id"})
	}
	if err := checkID("payment token", vaultID); err != nil {
		return nil, err
	}
	if err := checkRequestID(requestID); err != nil {
		return nil, err
	}
	body := wireCreateOrder{Intent: "CAPTURE", PurchaseUnits: []wireUnit{{
		Amount:   &wireAmount{CurrencyCode: strings.ToUpper(currency), Value: FormatAmount(amountMinor, currency)},
		CustomID: customID}},
		PaymentSource: &wirePaymentSource{PayPal: &wirePayPalSource{VaultID: vaultID,
			StoredCredential: &wireStoredCredential{PaymentInitiator: "MERCHANT", Usage: "SUBSEQUENT", UsagePattern: "THRESHOLD_PREPAID"}}}}
	var out wireOrder
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v2/checkout/orders",
		header:     http.Header{"Paypal-Request-Id": {requestID}, "Prefer": {"return=representation"}},
		idempotent: true}, body, &out)
	if err != nil {
		return nil, fmt.Errorf("paypal: create vault order %s: %w", customID, err)
	}
	o, err := out.order()
	if err != nil {
		return nil, fmt.Errorf("paypal: create vault order %s: %w", customID, err)
	}
	return o, nil
}

var _ panel.PaymentVault = Payments{}

// StartVault implements panel.PaymentVault.
func (p Payments) StartVault(ctx context.Context, description, returnURL, cancelURL, requestID string) (string, string, error) {
	t, err := p.C.CreateSetupToken(ctx, description, returnURL, cancelURL, requestID)
	if err != nil {
		return "", "", err
	}
	return t.ID, t.ApproveURL, nil
}

// FinishVault implements panel.PaymentVault.
func (p Payments) FinishVault(ctx context.Context, setupTokenID, requestID string) (string, string, error) {
	t, err := p.C.CreatePaymentToken(ctx, setupTokenID, requestID)
	if err != nil {
		return "", "", err
	}
	return t.ID, t.Email, nil
}

// RemoveVault implements panel.PaymentVault.
func (p Payments) RemoveVault(ctx context.Context, tokenID string) error {
	return p.C.DeletePaymentToken(ctx, tokenID)
}

// ChargeVault implements panel.PaymentVault.
func (p Payments) ChargeVault(ctx context.Context, amountMinor int64, currency, customID, tokenID, requestID string) (*panel.PaymentOrder, error) {
	o, err := p.C.CreateVaultOrder(ctx, amountMinor, currency, customID, tokenID, requestID)
	if err != nil {
		return nil, err
	}
	return orderOf(o), nil
}
