package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

var _ panel.OrderedPackages = (*Ledger)(nil)

const (
	// orderedBatchMax is DynamoDB's limit of keys in one BatchGetItem.
	orderedBatchMax = 100
	// orderedMaxAttempts bounds the re-reads of unprocessed keys.
	orderedMaxAttempts = 5
)

// OrderedPackageIDs reads the package of each billed server among ids
// with BatchGetItem (only serverId and packageId are read). Servers billing
// never saw are left out.
func (l *Ledger) OrderedPackageIDs(ctx context.Context, ids []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(ids))
	seen := make(map[int64]bool, len(ids))
	var keys []map[string]types.AttributeValue
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			keys = append(keys, Key(billedPK(id), billedSK))
		}
	}
	for len(keys) > 0 {
		n := min(len(keys), orderedBatchMax)
		pending := keys[:n]
		keys = keys[n:]
		// Unprocessed keys (throttling) are asked again, a bounded number
		// of times with backoff.
		for attempt := 0; len(pending) > 0; attempt++ {
			if attempt > 0 {
				if attempt >= orderedMaxAttempts {
					return nil, billErr("read ordered packages", fmt.Errorf("%d keys unprocessed", len(pending)))
				}
				select {
				case <-ctx.Done():
					return nil, billErr("read ordered packages", ctx.Err())
				case <-time.After(time.Duration(attempt*20) * time.Millisecond):
				}
			}
			l.Calls.Add(1)
			res, err := l.DB.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
				l.Table: {Keys: pending, ProjectionExpression: aws.String("serverId, packageId")}}})
			if err != nil {
				return nil, billErr("read ordered packages", err)
			}
			for _, av := range res.Responses[l.Table] {
				var it struct {
					ServerID  int64 `dynamodbav:"serverId"`
					PackageID int64 `dynamodbav:"packageId"`
				}
				if err := attributevalue.UnmarshalMap(av, &it); err != nil {
					return nil, fmt.Errorf("dynamo: decode ordered package: %w", err)
				}
				if it.ServerID > 0 && it.PackageID > 0 {
					out[it.ServerID] = it.PackageID
				}
			}
			pending = res.UnprocessedKeys[l.Table].Keys
		}
	}
	return out, nil
}
