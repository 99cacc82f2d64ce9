package dynamotest

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/vfpanel/vfpanel/internal/dynamo"
)

func TestNewTable(t *testing.T) {
	db, name := NewTable(t)
	out, err := db.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		t.Fatalf("describe: %v", err)
	}
	if got := len(out.Table.GlobalSecondaryIndexes); got != 2 {
		t.Errorf("got %d GSIs, want 2", got)
	}
	if err := dynamo.NewStore(db, name).Ping(context.Background()); err != nil {
		t.Errorf("ping: %v", err)
	}
	if err := dynamo.NewStore(db, "missing").Ping(context.Background()); err == nil {
		t.Error("ping of a missing table: got nil, want an error")
	}
}
