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

// Status stores the status message and the latest job runs.
type Status struct{ Store }

var _ panel.StatusStore = (*Status)(nil)

// NewStatus returns the status store.
func NewStatus(s Store) *Status { return &Status{s} }

type statusMessageItem struct {
	PK        string    `dynamodbav:"PK"`
	SK        string    `dynamodbav:"SK"`
	Kind      string    `dynamodbav:"kind"`
	Text      string    `dynamodbav:"text"`
	UpdatedAt time.Time `dynamodbav:"updatedAt"`
	UpdatedBy string    `dynamodbav:"updatedBy"`
}

func statusMessageKey() map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: StatusMessagePK},
		"SK": &types.AttributeValueMemberS{Value: StatusMessageSK},
	}
}

// StatusMessage returns the current message; ENOTFOUND when none.
func (s *Status) StatusMessage(ctx context.Context) (*panel.StatusMessage, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: statusMessageKey()})
	if err != nil {
		return nil, storeErr("get status message", err)
	}
	if out.Item == nil {
		return nil, panel.NotFound("status message")
	}
	var it statusMessageItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return nil, fmt.Errorf("dynamo: unmarshal status message: %w", err)
	}
	return &panel.StatusMessage{Kind: it.Kind, Text: it.Text, UpdatedAt: it.UpdatedAt, UpdatedBy: it.UpdatedBy}, nil
}

// SetStatusMessage replaces the message.
func (s *Status) SetStatusMessage(ctx context.Context, m panel.StatusMessage) error {
	av, err := attributevalue.MarshalMap(statusMessageItem{PK: StatusMessagePK, SK: StatusMessageSK, Kind: m.Kind,
		Text: m.Text, UpdatedAt: m.UpdatedAt.UTC(), UpdatedBy: m.UpdatedBy})
	if err != nil {
		return fmt.Errorf("dynamo: marshal status message: %w", err)
	}
	if _, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Table, Item: av}); err != nil {
		return storeErr("put status message", err)
	}
	return nil
}

// ClearStatusMessage removes the message.
func (s *Status) ClearStatusMessage(ctx context.Context) error {
	if _, err := s.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.Table, Key: statusMessageKey()}); err != nil {
		return storeErr("delete status message", err)
	}
	return nil
}

// RecordJobRun records a run. lastSuccessAt moves only on success, in the
// same update, so a failure never erases when the job last worked.
func (s *Status) RecordJobRun(ctx context.Context, name string, at time.Time, ok bool) error {
	expr := "SET lastRunAt = :at, lastOk = :ok"
	vals := map[string]types.AttributeValue{
		":at": &types.AttributeValueMemberS{Value: at.UTC().Format(time.RFC3339Nano)},
		":ok": &types.AttributeValueMemberBOOL{Value: ok},
	}
	if ok {
		expr += ", lastSuccessAt = :at"
	}
	_, err := s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.Table,
		Key: map[string]types.AttributeValue{
			"PK": &types.AttributeValueMemberS{Value: JobRunPKPrefix + name},
			"SK": &types.AttributeValueMemberS{Value: JobRunSK},
		},
		UpdateExpression:          aws.String(expr),
		ExpressionAttributeValues: vals,
	})
	if err != nil {
		return storeErr("record job run "+name, err)
	}
	return nil
}

type jobRunItem struct {
	LastRunAt     time.Time `dynamodbav:"lastRunAt"`
	LastOK        bool      `dynamodbav:"lastOk"`
	LastSuccessAt time.Time `dynamodbav:"lastSuccessAt"`
}

// JobRun returns the named job's latest run; ENOTFOUND when it never ran.
func (s *Status) JobRun(ctx context.Context, name string) (*panel.JobRun, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: JobRunPKPrefix + name},
		"SK": &types.AttributeValueMemberS{Value: JobRunSK},
	}})
	if err != nil {
		return nil, storeErr("get job run "+name, err)
	}
	if out.Item == nil {
		return nil, panel.NotFound("job run")
	}
	var it jobRunItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return nil, fmt.Errorf("dynamo: unmarshal job run: %w", err)
	}
	return &panel.JobRun{Name: name, LastRunAt: it.LastRunAt, LastOK: it.LastOK, LastSuccessAt: it.LastSuccessAt}, nil
}
