package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// putNew stores item unless an item with its key exists, which is
// ECONFLICT with the message conflict. what names the entity in errors.
func (s Store) putNew(ctx context.Context, item any, what, conflict string) error {
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		return fmt.Errorf("dynamo: marshal %s: %w", what, err)
	}
	_, err = s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Table, Item: av,
		ConditionExpression: aws.String("attribute_not_exists(PK)")})
	if IsConditionFailed(err) {
		return &panel.Error{Code: panel.ECONFLICT, Message: conflict}
	}
	if err != nil {
		return storeErr("create "+what, err)
	}
	return nil
}

// getItem reads one item with a consistent GetItem into a T; a missing
// item is panel.NotFound(what).
func getItem[T any](ctx context.Context, s Store, key map[string]types.AttributeValue, what string) (*T, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: key, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, storeErr("get "+what, err)
	}
	if out.Item == nil {
		return nil, panel.NotFound(what)
	}
	var it T
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return nil, fmt.Errorf("dynamo: unmarshal %s: %w", what, err)
	}
	return &it, nil
}
