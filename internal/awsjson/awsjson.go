// Package awsjson calls AWS services that speak the JSON protocol (Secrets
// Manager, SQS) with a SigV4-signed POST. A function makes one or two such
// calls per cold start or run; the SDK's generated clients for them add
// over half a megabyte each to every binary, while the signer is linked
// anyway for DynamoDB.
package awsjson

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Client calls one service.
type Client struct {
	Config aws.Config
	// Service is the signing name and endpoint prefix ("sqs", "secretsmanager").
	Service string
	// TargetPrefix prefixes the operation in X-Amz-Target ("AmazonSQS", "secretsmanager").
	TargetPrefix string
	// JSONVersion is the protocol's content-type version: "1.0" (SQS) or "1.1" (Secrets Manager).
	JSONVersion string
	// Endpoint overrides https://<Service>.<region>.amazonaws.com (tests).
	Endpoint string
	// HTTP is the client to use; nil means one with a 10 s timeout.
	HTTP *http.Client
	// Now is the signing clock; nil means time.Now.
	Now func() time.Time
}

// Error is an error the service answered with.
type Error struct {
	Status  int
	Type    string // e.g. ResourceNotFoundException
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s (HTTP %d): %s", e.Type, e.Status, e.Message)
}

var defaultHTTP = &http.Client{Timeout: 10 * time.Second}

// Call runs operation op with input in and decodes the answer into out.
func (c *Client) Call(ctx context.Context, op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	ep := c.Endpoint
	if ep == "" {
		ep = "https://" + c.Service + "." + c.Config.Region + ".amazonaws.com/"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-"+c.JSONVersion)
	req.Header.Set("X-Amz-Target", c.TargetPrefix+"."+op)
	if c.Config.Credentials == nil {
		return fmt.Errorf("%s %s: no credentials", c.Service, op)
	}
	creds, err := c.Config.Credentials.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("%s %s: credentials: %w", c.Service, op, err)
	}
	sum := sha256.Sum256(body)
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), c.Service, c.Config.Region, now()); err != nil {
		return fmt.Errorf("%s %s: sign: %w", c.Service, op, err)
	}
	hc := c.HTTP
	if hc == nil {
		hc = defaultHTTP
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", c.Service, op, err)
	}
	defer resp.Body.Close()
	rb, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", c.Service, op, err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Type     string `json:"__type"`
			Message  string `json:"message"`
			MessageU string `json:"Message"`
		}
		_ = json.Unmarshal(rb, &e)
		if e.Message == "" {
			e.Message = e.MessageU
		}
		// "__type" may be namespaced: "com.amazonaws.sqs#QueueDoesNotExist".
		if i := strings.LastIndexByte(e.Type, '#'); i >= 0 {
			e.Type = e.Type[i+1:]
		}
		return fmt.Errorf("%s %s: %w", c.Service, op, &Error{Status: resp.StatusCode, Type: e.Type, Message: e.Message})
	}
	if out == nil || len(bytes.TrimSpace(rb)) == 0 {
		return nil
	}
	if err := json.Unmarshal(rb, out); err != nil {
		return fmt.Errorf("%s %s: decode answer: %w", c.Service, op, err)
	}
	return nil
}
