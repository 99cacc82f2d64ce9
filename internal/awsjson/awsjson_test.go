package awsjson

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

func TestCall(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	for name, tc := range map[string]struct {
		status   int
		answer   string
		wantErr  string // "" = success
		wantType string
	}{
		"OK":                {200, `{"SecretString":"{\"a\":\"b\"}"}`, "", ""},
		"ErrNotFound":       {400, `{"__type":"ResourceNotFoundException","message":"no such secret"}`, "no such secret", "ResourceNotFoundException"},
		"ErrNamespacedType": {400, `{"__type":"com.amazonaws.sqs#QueueDoesNotExist","Message":"gone"}`, "gone", "QueueDoesNotExist"},
		"ErrServerNoBody":   {500, ``, "HTTP 500", ""},
		"ErrAnswerNotJSON":  {200, `<html>`, "decode answer", ""},
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				auth := r.Header.Get("Authorization")
				switch {
				case r.Method != http.MethodPost,
					r.Header.Get("X-Amz-Target") != "secretsmanager.GetSecretValue",
					r.Header.Get("Content-Type") != "application/x-amz-json-1.1",
					!strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AK/20261202/eu-west-1/secretsmanager/aws4_request"),
					r.Header.Get("X-Amz-Security-Token") != "TOKEN",
					r.Header.Get("X-Amz-Date") != "20261202T100000Z",
					string(body) != `{"SecretId":"arn:x"}`:
					t.Errorf("bad request: %s %v %s", r.Method, r.Header, body)
					w.WriteHeader(http.StatusBadRequest)
					return
				}
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.answer)
			}))
			defer srv.Close()
			c := &Client{Config: aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("AK", "SK", "TOKEN")},
				Service: "secretsmanager", TargetPrefix: "secretsmanager", JSONVersion: "1.1", Endpoint: srv.URL, Now: func() time.Time { return now }}
			var out struct{ SecretString *string }
			err := c.Call(context.Background(), "GetSecretValue", map[string]string{"SecretId": "arn:x"}, &out)
			if tc.wantErr == "" {
				if err != nil || out.SecretString == nil || *out.SecretString != `{"a":"b"}` {
					t.Fatalf("got %v, %v", out, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("got %v, want an error containing %q", err, tc.wantErr)
			}
			var ae *Error
			if tc.wantType != "" && (!errors.As(err, &ae) || ae.Type != tc.wantType) {
				t.Errorf("got %#v, want type %s", err, tc.wantType)
			}
		})
	}
	t.Run("ErrNoCredentials", func(t *testing.T) {
		c := &Client{Config: aws.Config{Region: "eu-west-1"}, Service: "sqs", TargetPrefix: "AmazonSQS", JSONVersion: "1.0", Endpoint: "http://127.0.0.1:1"}
		if err := c.Call(context.Background(), "SendMessageBatch", struct{}{}, nil); err == nil {
			t.Fatal("no error without credentials")
		}
	})
}
