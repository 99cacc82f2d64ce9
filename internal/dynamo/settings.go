package dynamo

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// SettingsStore keeps the administrators' settings as one item,
// SETTINGS / META: the settings as a JSON document and their version.
type SettingsStore struct{ Store }

var _ panel.SettingsStore = (*SettingsStore)(nil)

// NewSettings returns the settings store.
func NewSettings(s Store) *SettingsStore { return &SettingsStore{s} }

// Settings returns the saved settings; ENOTFOUND before the first save.
func (s *SettingsStore) Settings(ctx context.Context) (*panel.Settings, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: Key(pkSettings, skMeta), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, storeErr("get settings", err)
	}
	doc, ok := out.Item["doc"].(*types.AttributeValueMemberS)
	if !ok {
		return nil, panel.NotFound("settings")
	}
	var st panel.Settings
	if err := json.Unmarshal([]byte(doc.Value), &st); err != nil {
		return nil, fmt.Errorf("dynamo: decode settings: %w", err)
	}
	return &st, nil
}

// PutSettings saves st on the condition that the stored version is
// st.Version-1, so two administrators saving at once cannot overwrite
// each other unseen.
func (s *SettingsStore) PutSettings(ctx context.Context, st panel.Settings) error {
	doc, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("dynamo: encode settings: %w", err)
	}
	in := &dynamodb.PutItemInput{TableName: &s.Table, Item: map[string]types.AttributeValue{
		"PK": S(pkSettings), "SK": S(skMeta), "doc": S(string(doc)), "version": N(st.Version)}}
	if st.Version <= 1 {
		in.ConditionExpression = aws.String("attribute_not_exists(PK)")
	} else {
		in.ConditionExpression = aws.String("version = :v")
		in.ExpressionAttributeValues = map[string]types.AttributeValue{":v": N(st.Version - 1)}
	}
	_, err = s.DB.PutItem(ctx, in)
	if IsConditionFailed(err) {
		return panel.Errorf(panel.ECONFLICT, "Someone else saved the settings since you loaded them; reload and try again.")
	}
	return storeErr("put settings", err)
}
