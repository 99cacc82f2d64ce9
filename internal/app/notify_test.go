package app

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/mailpittest"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// streamEvent is a DynamoDB stream event as Lambda delivers it, re-typed
// from the example in the AWS Lambda developer guide ("Using AWS Lambda
// with Amazon DynamoDB", https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html),
// with our keys in place of the example's.
const streamEvent = `{"Records":[{"eventID":"1","eventVersion":"1.0","dynamodb":{
  "Keys":{"PK":{"S":"OUTBOX#%ID%"},"SK":{"S":"META"}},
  "NewImage":{"PK":{"S":"OUTBOX#%ID%"},"SK":{"S":"META"},"state":{"S":"queued"}},
  "StreamViewType":"NEW_IMAGE","SequenceNumber":"111","SizeBytes":26},
  "awsRegion":"us-west-2","eventName":"INSERT",
  "eventSourceARN":"arn:aws:dynamodb:us-west-2:123456789012:table/vfpanel-dev/stream/2026-12-01T00:00:00.000",
  "eventSource":"aws:dynamodb"}]}`

func TestNotifyFunction(t *testing.T) {
	endpoint := dynamotest.Endpoint(t)
	_, table := dynamotest.NewTable(t)
	mp := mailpittest.Shared(t)
	env := map[string]string{"TABLE_NAME": table, "DYNAMODB_ENDPOINT": endpoint, "PUBLIC_URL": "https://panel.acme.example",
		"SMTP_HOST": mp.SMTPHost, "SMTP_PORT": strconv.Itoa(mp.SMTPPort), "SMTP_TLS": "none",
		"MAIL_FROM": "Acme Hosting <billing@acme.example>", "COMPANY_NAME": "Acme Hosting", "SESSION_KEY": "k"}
	cfg, err := config.Load(func(k string) string { return env[k] }, nil)
	if err == nil {
		err = cfg.Need(config.NeedTable, config.NeedMail)
	}
	if err != nil {
		t.Fatal(err)
	}
	deps, err := NewDeps(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	handle, err := Notify(deps)
	if err != nil {
		t.Fatal(err)
	}
	to := "app-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "@example.test"
	n := panel.Notification{ID: panel.NotificationID(panel.NotifyWelcome, "u_app"), Kind: panel.NotifyWelcome,
		UserID: "u_app", Email: to, Name: "Ann", CreatedAt: time.Now()}
	if err := dynamo.NewOutbox(deps.Store).Enqueue(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	var ev events.DynamoDBEvent
	if err := json.Unmarshal([]byte(strings.ReplaceAll(streamEvent, "%ID%", n.ID)), &ev); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		resp, err := handle(context.Background(), ev)
		if err != nil || len(resp.BatchItemFailures) != 0 {
			t.Fatalf("got %+v %v", resp, err)
		}
	}
	got := mp.To(t, to)
	if len(got) != 1 || got[0].Subject != "Welcome to Acme Hosting" {
		t.Fatalf("got %+v, want one welcome mail", got)
	}
}
